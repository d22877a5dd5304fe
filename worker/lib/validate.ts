/**
 * Request validation with the contract's schemas (schema/api.ts) through @hono/zod-validator.
 * Any shape error becomes 400 VALIDATION_ERROR with the offending fields in `details`.
 */
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { ApiError } from "../../core/errors";

export const validate = <Target extends keyof ValidationTargets, Schema extends z.ZodType>(target: Target, schema: Schema) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
      throw new ApiError(400, "VALIDATION_ERROR", `Invalid ${target}: ${issues.map((i) => `${i.path || target} ${i.message}`).join("; ")}`, {
        issues,
      });
    }
  });
