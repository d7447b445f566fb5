import { Organisation1732000000000 } from './1732000000000-organisation';

/** Every migration in order; the CLI, the api and the tests all run this list. */
export const MIGRATIONS = [Organisation1732000000000];
