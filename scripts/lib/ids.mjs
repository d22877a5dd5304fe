/**
 * The worker's own time-sortable ids (schema/ids.ts), for the seed and the ops tests: one
 * algorithm, so seeded rows sort exactly like rows the worker creates. Node 22 runs the .ts
 * module directly (type stripping).
 */
export { ID_PATTERN, idFloorForTime, idTime, newId, randomIdAt, resetIdClock } from "../../schema/ids.ts";
