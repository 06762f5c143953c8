/**
 * The planner moved to domain/planner.ts. This re-export stays only until test/support/scrape-app.ts imports
 * Granularity from there; then delete this file.
 */
export type { Granularity } from '../domain/planner.ts';
