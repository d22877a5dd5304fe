/** Types for scripts/lib/browser.mjs (imported by playwright.config.ts). */
export declare const SYSTEM_BROWSERS: string[];
export declare const BROWSER_ARGS: string[];
export declare const NO_BROWSER_HINT: string;
export declare function isExecutableFile(path: string): boolean;
export declare function playwrightChromium(): string | null;
export declare function findBrowser(env?: Record<string, string | undefined>): { path: string; source: string } | null;
