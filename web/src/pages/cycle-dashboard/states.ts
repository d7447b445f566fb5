/** Entry states in the order the dashboard lists them (counts, columns, filter). */
export const STATE_ORDER = ['accepted', 'in_review', 'submitted', 'returned', 'draft', 'not_started', 'not_submitted', 'not_approved'];
