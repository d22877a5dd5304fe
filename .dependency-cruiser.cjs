/**
 * The layers, as a check (`npm run check:layers`, part of `npm test`):
 *
 *   schema/  ←  core/  ←  durable-objects/  ←  worker/        web/ → schema/ only
 *
 * schema/ (the contract and tables) imports nothing of ours; core/ (the domain: mutations, feed
 * statements, ranking, D1 reads, errors, config) imports only schema/; an object imports core/ and
 * schema/, never worker/; web/ imports only web/ and schema/; no cycle anywhere, types included.
 * worker/ (the HTTP edge) may import everything but tests/; it renders web/ components at the edge.
 */
module.exports = {
  forbidden: [
    { name: "schema-imports-nothing-of-ours", severity: "error", from: { path: "^schema/" }, to: { path: "^(core|worker|durable-objects|web|scripts|tests)/" } },
    { name: "core-imports-only-schema", severity: "error", from: { path: "^core/" }, to: { path: "^(worker|durable-objects|web|scripts|tests)/" } },
    { name: "objects-never-import-the-edge", severity: "error", from: { path: "^durable-objects/" }, to: { path: "^(worker|web|scripts|tests)/" } },
    { name: "web-imports-only-web-and-schema", severity: "error", from: { path: "^web/" }, to: { path: "^(core|worker|durable-objects|scripts|tests)/" } },
    { name: "nothing-imports-tests", severity: "error", from: { pathNot: "^tests/" }, to: { path: "^tests/" } },
    { name: "no-cycles", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)node_modules/|\\.d\\.ts$|^dist/" },
    tsPreCompilationDeps: true, // type-only imports count: a cycle of types is still a cycle
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".mjs", ".js"] },
  },
};
