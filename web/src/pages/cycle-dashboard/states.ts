import { ENTRY_STATES_BY_PROGRESS } from '../../../../libs/domain/src/workflow/entry-state';

/** Entry states in the order the dashboard lists them (counts, columns, filter). */
export const STATE_ORDER: readonly string[] = ENTRY_STATES_BY_PROGRESS;
