/*
 * SQL fragments over 外部評価 (`recommendations`, `recommendation_responses`) for libs/entries'
 * items × periods matrix, which reads them per cell in its own statement. A file without imports,
 * so entries (which approvals imports) may import it by its path without a module cycle.
 */

/** The text of the 提言 of the cycle `cycleIdSql` on the item `itemIdSql` (SQL expressions of the caller's query). */
export const recommendationTextSql = (cycleIdSql: string, itemIdSql: string) =>
  `(SELECT r.text FROM recommendations r WHERE r.cycle_id = ${cycleIdSql} AND r.item_id = ${itemIdSql})`;

/**
 * The text of the entry `entryIdSql`'s 対応方針 to the 提言 of its previous entry's cycle on the
 * previous entry's item (`previousCycleIdSql`, `previousItemIdSql`: SQL expressions of the caller's).
 */
export const recommendationResponseTextSql = (entryIdSql: string, previousCycleIdSql: string, previousItemIdSql: string) =>
  `(SELECT rr.text FROM recommendations pr
      JOIN recommendation_responses rr ON rr.recommendation_id = pr.id AND rr.entry_id = ${entryIdSql}
     WHERE pr.cycle_id = ${previousCycleIdSql} AND pr.item_id = ${previousItemIdSql})`;
