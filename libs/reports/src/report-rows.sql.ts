/**
 * The SQL of the report rows. Parameters: $1 cycle id, $2 accepted only, $3/$4 the reader's
 * scope (see scopeCondition in report-data.service.ts).
 */

/** How the rows come: by item (the published lists) or by department first (department headings). */
// vocabulary-check: not FIELD_SCOPES, a sort order that happens to share two words with it
export type RowOrder = 'item' | 'department';

const ORDER: Record<RowOrder, string> = {
  item: 'i.number, i.sub_number, e.section_id',
  // Departments in the order of their first item (as the published report lists them), then items.
  department: 'MIN(i.number) OVER (PARTITION BY d.id), d.id, i.number, i.sub_number, e.section_id',
};

/**
 * The section as it was named at the end of the period (after a reorganisation a past report
 * keeps its names): the name valid then, else the earliest one recorded.
 */
const SECTION_NAMES = `
  names AS (
    SELECT DISTINCT ON (n.section_id) n.section_id, n.name
      FROM section_names n, cycles c
     WHERE c.id = $1
     ORDER BY n.section_id,
              (n.valid_from <= c.period_end AND (n.valid_to IS NULL OR n.valid_to >= c.period_end)) DESC,
              n.valid_from, n.id
  )`;

/** The item's KPIs, in their order, as KpiDefinition objects. */
const KPIS = `
  COALESCE((SELECT json_agg(json_build_object('id', k.id, 'name', k.name, 'unit', k.unit, 'kind', k.kind,
                                              'direction', k.direction, 'targets', k.targets) ORDER BY k.sort, k.id)
              FROM plan_item_kpis k WHERE k.item_id = i.id), '[]') AS kpis`;

/** The approvals since the last submission (a return starts the route again), in order. */
const APPROVALS = `
  COALESCE((SELECT json_agg(json_build_object('name', u.name, 'onBehalfOfName', b.name, 'acting', a.acting) ORDER BY a.id)
              FROM audit_log a
              LEFT JOIN users u ON u.id = a.actor_user_id
              LEFT JOIN users b ON b.id = a.on_behalf_of_user_id
             WHERE a.subject_type = 'entry' AND a.subject_id = e.id::text AND a.action = 'entry.approve'
               AND a.at >= coalesce(e.submitted_at, '-infinity')), '[]') AS approvals`;

/**
 * The accepted rating of the same item and section in each earlier fiscal year of the
 * template (its last cycle of that year): the 実施状況 row of a yearly action plan sheet.
 */
const HISTORY = `
  COALESCE((SELECT json_object_agg(h.fy, h.rating) FROM (
              SELECT DISTINCT ON (c2.fiscal_year) c2.fiscal_year::text AS fy, e2.rating
                FROM cycles c2
                JOIN entries e2 ON e2.cycle_id = c2.id AND e2.item_id = e.item_id AND e2.section_id = e.section_id
               WHERE c2.template_id = c.template_id AND c2.fiscal_year < c.fiscal_year AND e2.state = 'accepted'
               ORDER BY c2.fiscal_year, c2.period_end DESC) h), '{}') AS "ratingHistory"`;

/** The previous cycle's recommendation (提言) on the entry's item, from the entry's previous entry `pe`. */
const PREVIOUS_RECOMMENDATION = `SELECT pr.id, pr.text FROM entries pe JOIN recommendations pr ON pr.cycle_id = pe.cycle_id AND pr.item_id = pe.item_id`;

/** 外部評価: the previous cycle's 提言, this entry's 対応方針 to it, and this cycle's 提言 on the item. */
const EXTERNAL_REVIEW = `
         (SELECT x.text FROM (${PREVIOUS_RECOMMENDATION} WHERE pe.id = e.previous_entry_id) x) AS "previousRecommendation",
         (SELECT rr.text FROM (${PREVIOUS_RECOMMENDATION} WHERE pe.id = e.previous_entry_id) x
            JOIN recommendation_responses rr ON rr.recommendation_id = x.id AND rr.entry_id = e.id) AS "recommendationResponse",
         (SELECT r.text FROM recommendations r WHERE r.cycle_id = e.cycle_id AND r.item_id = e.item_id) AS recommendation`;

export function reportRowsSql(opts: { order: RowOrder; history: boolean; kpis: boolean; approvals: boolean; scope: string }): string {
  return `
  WITH ${SECTION_NAMES}
  SELECT e.id, e.item_id AS "itemId", e.state, e.rating, e.previous_rating AS "previousRating",
         e.progress, e.fiscal_goal AS "fiscalGoal", e.short_term_plan AS "shortTermPlan",
         e.reason, e.next_steps AS "nextSteps", e.kpi_actuals AS "kpiActuals", e."values",
         e.submitted_at AS "submittedAt", e.accepted_at AS "acceptedAt",
         i.number, i.sub_number AS "subNumber", i.chapter, i.category, i.title,
         COALESCE(pis.content, i.content) AS content,
         COALESCE(pis.target_date_text, i.target_date_text) AS "targetDateText", i.attributes,
         s.id AS "sectionId", COALESCE(nm.name, s.name) AS "sectionName",
         d.id AS "departmentId", d.name AS "departmentName",
         hd.name AS "headName", COALESCE(ev.name, hd.name) AS "evaluatorName",
         ${opts.kpis ? KPIS : `'[]'::json AS kpis`},
         ${opts.approvals ? APPROVALS : `'[]'::json AS approvals`},
         ${opts.history ? HISTORY : `'{}'::json AS "ratingHistory"`},
         ${EXTERNAL_REVIEW}
    FROM entries e
    JOIN cycles c ON c.id = e.cycle_id
    JOIN plan_items i ON i.id = e.item_id
    LEFT JOIN plan_item_sections pis ON pis.item_id = e.item_id AND pis.section_id = e.section_id
    JOIN sections s ON s.id = e.section_id
    LEFT JOIN names nm ON nm.section_id = s.id
    JOIN departments d ON d.id = s.department_id
    LEFT JOIN users hd ON hd.id = d.head_user_id
    LEFT JOIN users ev ON ev.id = i.evaluator_user_id
   WHERE e.cycle_id = $1 AND (NOT $2::bool OR e.state = 'accepted') AND ${opts.scope}
   ORDER BY ${ORDER[opts.order]}`;
}

/** Which optional item columns any entry of the cycle fills, and the most KPIs an item has. */
export const CYCLE_SHAPE_SQL = `
  SELECT COALESCE(bool_or(COALESCE(i.chapter, '') <> ''), false) AS chapter,
         COALESCE(bool_or(COALESCE(i.category, '') <> ''), false) AS category,
         COALESCE(bool_or(COALESCE(pis.content, i.content, '') <> ''), false) AS content,
         COALESCE(bool_or(COALESCE(pis.target_date_text, i.target_date_text, '') <> ''), false) AS "targetDate",
         COALESCE(max((SELECT count(*) FROM plan_item_kpis k WHERE k.item_id = e.item_id)), 0)::int AS "kpiSlots",
         COALESCE(bool_or(EXISTS (SELECT 1 FROM recommendations r WHERE r.cycle_id = e.cycle_id AND r.item_id = e.item_id)
                       OR EXISTS (${PREVIOUS_RECOMMENDATION} WHERE pe.id = e.previous_entry_id)), false) AS "externalReview"
    FROM entries e
    JOIN plan_items i ON i.id = e.item_id
    LEFT JOIN plan_item_sections pis ON pis.item_id = e.item_id AND pis.section_id = e.section_id
   WHERE e.cycle_id = $1`;

/**
 * The form's keys that hold a value in some entry (accepted ones only when $2) or in some
 * department or section of the cycle: the printed list gives an empty field a narrow column.
 */
export const FILLED_KEYS_SQL = `
  SELECT array_remove(ARRAY[
           CASE WHEN bool_or(e.rating IS NOT NULL) THEN 'rating' END,
           CASE WHEN bool_or(COALESCE(e.progress, '') <> '') THEN 'progress' END,
           CASE WHEN bool_or(COALESCE(e.fiscal_goal, '') <> '') THEN 'fiscalGoal' END,
           CASE WHEN bool_or(COALESCE(e.short_term_plan, '') <> '') THEN 'shortTermPlan' END,
           CASE WHEN bool_or(jsonb_array_length(e.kpi_actuals) > 0) THEN 'kpiActuals' END,
           CASE WHEN bool_or(COALESCE(e.reason, '') <> '') THEN 'reason' END,
           CASE WHEN bool_or(COALESCE(e.next_steps, '') <> '') THEN 'nextSteps' END
         ], NULL)
         || COALESCE((SELECT array_agg(DISTINCT v.key) FROM entries x, jsonb_each(x."values") v
                       WHERE x.cycle_id = $1 AND (NOT $2::bool OR x.state = 'accepted') AND v.value <> 'null'::jsonb), '{}')
         || COALESCE((SELECT array_agg(DISTINCT v.key) FROM scope_values s, jsonb_each(s."values") v
                       WHERE s.cycle_id = $1 AND v.value <> 'null'::jsonb), '{}') AS keys
    FROM entries e
   WHERE e.cycle_id = $1 AND (NOT $2::bool OR e.state = 'accepted')`;
