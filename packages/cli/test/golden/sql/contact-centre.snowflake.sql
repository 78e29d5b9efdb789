-- KRA Lang: metric values and KPI values of Northwind Contact Services, snowflake dialect.
-- Written by `kra sql`; write it again rather than edit it. Periods are labelled as kra eval
-- labels them (2026-07); dimension 'total' with member '' is the total.
-- Not computed: KPI agent.product_knowledge.knowledge_check_score: metric kc_points_earned is not measured from a source (its values come aggregated).
-- Not computed: KPI finance.billing_and_close.close_days: metric close_working_days is not measured from a source (its values come aggregated).
-- Not computed: KPI finance.billing_and_close.invoice_dispute_rate: metric invoices_disputed is not measured from a source (its values come aggregated).
-- Not computed: KPI finance.cost_and_cash.cost_per_contact: metric operating_cost is not measured from a source (its values come aggregated).
-- Not computed: KPI finance.cost_and_cash.days_sales_outstanding: metric trade_receivables is not measured from a source (its values come aggregated).
-- Not computed: KPI finance.profitability.ebitda_margin: metric revenue is not measured from a source (its values come aggregated).
-- Not computed: KPI finance.profitability.revenue_growth: metric revenue is not measured from a source (its values come aggregated).
-- Not computed: KPI hr.engagement.enps: metric enps_promoters is not measured from a source (its values come aggregated).
-- Not computed: KPI hr.engagement.survey_participation: metric enps_responses is not measured from a source (its values come aggregated).
-- Not computed: KPI hr.retention.attrition: metric leavers is not measured from a source (its values come aggregated).
-- Not computed: KPI hr.retention.new_hire_retention: metric cohort_retained is not measured from a source (its values come aggregated).
-- Not computed: KPI hr.talent_acquisition.cost_per_hire: metric recruitment_cost is not measured from a source (its values come aggregated).
-- Not computed: KPI hr.talent_acquisition.offer_acceptance: metric offers_accepted is not measured from a source (its values come aggregated).
-- Not computed: KPI hr.talent_acquisition.time_to_hire: metric hire_days is not measured from a source (its values come aggregated).
-- Not computed: KPI hr_business_partner.employee_relations.grievance_resolution_time: metric grievance_days is not measured from a source (its values come aggregated).
-- Not computed: KPI quality_analyst.calibration.calibration_accuracy: metric calibration_matches is not measured from a source (its values come aggregated).
-- Not computed: KPI quality_analyst.customer_insight.action_closure: metric actions_closed_on_time is not measured from a source (its values come aggregated).
-- Not computed: KPI team_leader.people_development.coaching_completion: metric coaching_sessions_held is not measured from a source (its values come aggregated).
-- Not computed: KPI trainer.floor_impact.nesting_quality_score: metric nesting_points_earned is not measured from a source (its values come aggregated).
-- Not computed: KPI trainer.learner_experience.training_satisfaction: metric trainee_feedback_satisfied is not measured from a source (its values come aggregated).
-- Not computed: KPI training_quality.call_quality.audit_coverage: metric audits_completed is not measured from a source (its values come aggregated).
-- Not computed: KPI training_quality.call_quality.fatal_error_rate: metric fatal_audits is not measured from a source (its values come aggregated).
-- Not computed: KPI training_quality.call_quality.quality_score: metric audit_points_earned is not measured from a source (its values come aggregated).
-- Not computed: KPI training_quality.new_hire_readiness.time_to_proficiency: metric proficiency_days is not measured from a source (its values come aggregated).
-- Not computed: KPI training_quality.new_hire_readiness.training_throughput: metric trainees_certified is not measured from a source (its values come aggregated).
-- Not computed: KPI training_quality.upskilling.refresher_completion: metric refresher_completed is not measured from a source (its values come aggregated).
WITH
-- Source calls "Call intervals" (sources.kra:8), table northwind.calls, by month.
--   after_call_work (metrics.kra:89): sum of acw_seconds in calls where direction = "inbound"
--   available_time (metrics.kra:99): sum of available_seconds in calls where direction = "inbound"
--   calls_abandoned (metrics.kra:49): sum of abandoned in calls where direction = "inbound"
--   calls_answered_in_20s (metrics.kra:39): sum of answered_in_20s in calls where direction = "inbound"
--   calls_handled (metrics.kra:29): sum of handled in calls where direction = "inbound"
--   calls_offered (metrics.kra:19): sum of offered in calls where direction = "inbound"
--   hold_time (metrics.kra:79): sum of hold_seconds in calls where direction = "inbound"
--   short_abandons (metrics.kra:59): sum of short_abandons in calls where direction = "inbound"
--   talk_time (metrics.kra:69): sum of talk_seconds in calls where direction = "inbound"
source_1 AS (
  SELECT TO_CHAR(CAST("interval_start" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("interval_start" AS DATE)) * 12 + MONTH(CAST("interval_start" AS DATE)) - 1) AS "period_index",
         'total' AS "dimension",
         '' AS "member",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "acw_seconds" END), 0) AS DOUBLE) AS "after_call_work",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "available_seconds" END), 0) AS DOUBLE) AS "available_time",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "abandoned" END), 0) AS DOUBLE) AS "calls_abandoned",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "answered_in_20s" END), 0) AS DOUBLE) AS "calls_answered_in_20s",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "handled" END), 0) AS DOUBLE) AS "calls_handled",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "offered" END), 0) AS DOUBLE) AS "calls_offered",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "hold_seconds" END), 0) AS DOUBLE) AS "hold_time",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "short_abandons" END), 0) AS DOUBLE) AS "short_abandons",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "talk_seconds" END), 0) AS DOUBLE) AS "talk_time"
  FROM "northwind"."calls"
  WHERE "interval_start" IS NOT NULL
  GROUP BY TO_CHAR(CAST("interval_start" AS DATE), 'YYYY-MM'), (YEAR(CAST("interval_start" AS DATE)) * 12 + MONTH(CAST("interval_start" AS DATE)) - 1)
  UNION ALL
  SELECT TO_CHAR(CAST("interval_start" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("interval_start" AS DATE)) * 12 + MONTH(CAST("interval_start" AS DATE)) - 1) AS "period_index",
         'team' AS "dimension",
         CAST("team" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "acw_seconds" END), 0) AS DOUBLE) AS "after_call_work",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "available_seconds" END), 0) AS DOUBLE) AS "available_time",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "abandoned" END), 0) AS DOUBLE) AS "calls_abandoned",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "answered_in_20s" END), 0) AS DOUBLE) AS "calls_answered_in_20s",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "handled" END), 0) AS DOUBLE) AS "calls_handled",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "offered" END), 0) AS DOUBLE) AS "calls_offered",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "hold_seconds" END), 0) AS DOUBLE) AS "hold_time",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "short_abandons" END), 0) AS DOUBLE) AS "short_abandons",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "talk_seconds" END), 0) AS DOUBLE) AS "talk_time"
  FROM "northwind"."calls"
  WHERE "interval_start" IS NOT NULL AND "team" IS NOT NULL
  GROUP BY TO_CHAR(CAST("interval_start" AS DATE), 'YYYY-MM'), (YEAR(CAST("interval_start" AS DATE)) * 12 + MONTH(CAST("interval_start" AS DATE)) - 1), "team"
  UNION ALL
  SELECT TO_CHAR(CAST("interval_start" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("interval_start" AS DATE)) * 12 + MONTH(CAST("interval_start" AS DATE)) - 1) AS "period_index",
         'client' AS "dimension",
         CAST("client" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "acw_seconds" END), 0) AS DOUBLE) AS "after_call_work",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "available_seconds" END), 0) AS DOUBLE) AS "available_time",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "abandoned" END), 0) AS DOUBLE) AS "calls_abandoned",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "answered_in_20s" END), 0) AS DOUBLE) AS "calls_answered_in_20s",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "handled" END), 0) AS DOUBLE) AS "calls_handled",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "offered" END), 0) AS DOUBLE) AS "calls_offered",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "hold_seconds" END), 0) AS DOUBLE) AS "hold_time",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "short_abandons" END), 0) AS DOUBLE) AS "short_abandons",
         CAST(COALESCE(SUM(CASE WHEN "direction" = 'inbound' THEN "talk_seconds" END), 0) AS DOUBLE) AS "talk_time"
  FROM "northwind"."calls"
  WHERE "interval_start" IS NOT NULL AND "client" IS NOT NULL
  GROUP BY TO_CHAR(CAST("interval_start" AS DATE), 'YYYY-MM'), (YEAR(CAST("interval_start" AS DATE)) * 12 + MONTH(CAST("interval_start" AS DATE)) - 1), "client"
),

-- Source cases "Cases opened" (sources.kra:31), table northwind.cases, by month.
--   issues_raised (metrics.kra:113): sum of raised in cases
--   issues_resolved_first_contact (metrics.kra:123): sum of resolved_first_contact in cases
source_2 AS (
  SELECT TO_CHAR(CAST("opened_on" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("opened_on" AS DATE)) * 12 + MONTH(CAST("opened_on" AS DATE)) - 1) AS "period_index",
         'total' AS "dimension",
         '' AS "member",
         CAST(COALESCE(SUM("raised"), 0) AS DOUBLE) AS "issues_raised",
         CAST(COALESCE(SUM("resolved_first_contact"), 0) AS DOUBLE) AS "issues_resolved_first_contact"
  FROM "northwind"."cases"
  WHERE "opened_on" IS NOT NULL
  GROUP BY TO_CHAR(CAST("opened_on" AS DATE), 'YYYY-MM'), (YEAR(CAST("opened_on" AS DATE)) * 12 + MONTH(CAST("opened_on" AS DATE)) - 1)
  UNION ALL
  SELECT TO_CHAR(CAST("opened_on" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("opened_on" AS DATE)) * 12 + MONTH(CAST("opened_on" AS DATE)) - 1) AS "period_index",
         'team' AS "dimension",
         CAST("team" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM("raised"), 0) AS DOUBLE) AS "issues_raised",
         CAST(COALESCE(SUM("resolved_first_contact"), 0) AS DOUBLE) AS "issues_resolved_first_contact"
  FROM "northwind"."cases"
  WHERE "opened_on" IS NOT NULL AND "team" IS NOT NULL
  GROUP BY TO_CHAR(CAST("opened_on" AS DATE), 'YYYY-MM'), (YEAR(CAST("opened_on" AS DATE)) * 12 + MONTH(CAST("opened_on" AS DATE)) - 1), "team"
  UNION ALL
  SELECT TO_CHAR(CAST("opened_on" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("opened_on" AS DATE)) * 12 + MONTH(CAST("opened_on" AS DATE)) - 1) AS "period_index",
         'client' AS "dimension",
         CAST("client" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM("raised"), 0) AS DOUBLE) AS "issues_raised",
         CAST(COALESCE(SUM("resolved_first_contact"), 0) AS DOUBLE) AS "issues_resolved_first_contact"
  FROM "northwind"."cases"
  WHERE "opened_on" IS NOT NULL AND "client" IS NOT NULL
  GROUP BY TO_CHAR(CAST("opened_on" AS DATE), 'YYYY-MM'), (YEAR(CAST("opened_on" AS DATE)) * 12 + MONTH(CAST("opened_on" AS DATE)) - 1), "client"
),

-- Source csat_answers "Post-call CSAT answers" (sources.kra:45), table northwind.csat_answers, by month.
--   csat_responses (metrics.kra:137): sum of responses in csat_answers where score is not null
--   csat_satisfied (metrics.kra:147): sum of responses in csat_answers where score in (4, 5)
source_3 AS (
  SELECT TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1) AS "period_index",
         'total' AS "dimension",
         '' AS "member",
         CAST(COALESCE(SUM(CASE WHEN "score" IS NOT NULL THEN "responses" END), 0) AS DOUBLE) AS "csat_responses",
         CAST(COALESCE(SUM(CASE WHEN "score" IN (4, 5) THEN "responses" END), 0) AS DOUBLE) AS "csat_satisfied"
  FROM "northwind"."csat_answers"
  WHERE "answered_on" IS NOT NULL
  GROUP BY TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM'), (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1)
  UNION ALL
  SELECT TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1) AS "period_index",
         'agent' AS "dimension",
         CAST("agent" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM(CASE WHEN "score" IS NOT NULL THEN "responses" END), 0) AS DOUBLE) AS "csat_responses",
         CAST(COALESCE(SUM(CASE WHEN "score" IN (4, 5) THEN "responses" END), 0) AS DOUBLE) AS "csat_satisfied"
  FROM "northwind"."csat_answers"
  WHERE "answered_on" IS NOT NULL AND "agent" IS NOT NULL
  GROUP BY TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM'), (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1), "agent"
  UNION ALL
  SELECT TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1) AS "period_index",
         'team' AS "dimension",
         CAST("team" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM(CASE WHEN "score" IS NOT NULL THEN "responses" END), 0) AS DOUBLE) AS "csat_responses",
         CAST(COALESCE(SUM(CASE WHEN "score" IN (4, 5) THEN "responses" END), 0) AS DOUBLE) AS "csat_satisfied"
  FROM "northwind"."csat_answers"
  WHERE "answered_on" IS NOT NULL AND "team" IS NOT NULL
  GROUP BY TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM'), (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1), "team"
  UNION ALL
  SELECT TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1) AS "period_index",
         'client' AS "dimension",
         CAST("client" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM(CASE WHEN "score" IS NOT NULL THEN "responses" END), 0) AS DOUBLE) AS "csat_responses",
         CAST(COALESCE(SUM(CASE WHEN "score" IN (4, 5) THEN "responses" END), 0) AS DOUBLE) AS "csat_satisfied"
  FROM "northwind"."csat_answers"
  WHERE "answered_on" IS NOT NULL AND "client" IS NOT NULL
  GROUP BY TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM'), (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1), "client"
),

-- Source shifts "Shifts" (sources.kra:76), table northwind.shifts, by month.
--   adherent_time (metrics.kra:201): sum of adherent_seconds in shifts
--   billable_hours (metrics.kra:241): sum of billable_hours in shifts
--   forecast_interval_error (metrics.kra:251): sum of forecast_interval_error in shifts
--   overtime_hours (metrics.kra:231): sum of overtime_hours in shifts
--   paid_hours (metrics.kra:211): sum of paid_hours in shifts
--   scheduled_time (metrics.kra:191): sum of scheduled_seconds in shifts
--   shrinkage_hours (metrics.kra:221): sum of shrinkage_hours in shifts
source_4 AS (
  SELECT TO_CHAR(CAST("shift_date" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("shift_date" AS DATE)) * 12 + MONTH(CAST("shift_date" AS DATE)) - 1) AS "period_index",
         'total' AS "dimension",
         '' AS "member",
         CAST(COALESCE(SUM("adherent_seconds"), 0) AS DOUBLE) AS "adherent_time",
         CAST(COALESCE(SUM("billable_hours"), 0) AS DOUBLE) AS "billable_hours",
         CAST(COALESCE(SUM("forecast_interval_error"), 0) AS DOUBLE) AS "forecast_interval_error",
         CAST(COALESCE(SUM("overtime_hours"), 0) AS DOUBLE) AS "overtime_hours",
         CAST(COALESCE(SUM("paid_hours"), 0) AS DOUBLE) AS "paid_hours",
         CAST(COALESCE(SUM("scheduled_seconds"), 0) AS DOUBLE) AS "scheduled_time",
         CAST(COALESCE(SUM("shrinkage_hours"), 0) AS DOUBLE) AS "shrinkage_hours"
  FROM "northwind"."shifts"
  WHERE "shift_date" IS NOT NULL
  GROUP BY TO_CHAR(CAST("shift_date" AS DATE), 'YYYY-MM'), (YEAR(CAST("shift_date" AS DATE)) * 12 + MONTH(CAST("shift_date" AS DATE)) - 1)
  UNION ALL
  SELECT TO_CHAR(CAST("shift_date" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("shift_date" AS DATE)) * 12 + MONTH(CAST("shift_date" AS DATE)) - 1) AS "period_index",
         'team' AS "dimension",
         CAST("team" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM("adherent_seconds"), 0) AS DOUBLE) AS "adherent_time",
         CAST(COALESCE(SUM("billable_hours"), 0) AS DOUBLE) AS "billable_hours",
         CAST(COALESCE(SUM("forecast_interval_error"), 0) AS DOUBLE) AS "forecast_interval_error",
         CAST(COALESCE(SUM("overtime_hours"), 0) AS DOUBLE) AS "overtime_hours",
         CAST(COALESCE(SUM("paid_hours"), 0) AS DOUBLE) AS "paid_hours",
         CAST(COALESCE(SUM("scheduled_seconds"), 0) AS DOUBLE) AS "scheduled_time",
         CAST(COALESCE(SUM("shrinkage_hours"), 0) AS DOUBLE) AS "shrinkage_hours"
  FROM "northwind"."shifts"
  WHERE "shift_date" IS NOT NULL AND "team" IS NOT NULL
  GROUP BY TO_CHAR(CAST("shift_date" AS DATE), 'YYYY-MM'), (YEAR(CAST("shift_date" AS DATE)) * 12 + MONTH(CAST("shift_date" AS DATE)) - 1), "team"
  UNION ALL
  SELECT TO_CHAR(CAST("shift_date" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("shift_date" AS DATE)) * 12 + MONTH(CAST("shift_date" AS DATE)) - 1) AS "period_index",
         'client' AS "dimension",
         CAST("client" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM("adherent_seconds"), 0) AS DOUBLE) AS "adherent_time",
         CAST(COALESCE(SUM("billable_hours"), 0) AS DOUBLE) AS "billable_hours",
         CAST(COALESCE(SUM("forecast_interval_error"), 0) AS DOUBLE) AS "forecast_interval_error",
         CAST(COALESCE(SUM("overtime_hours"), 0) AS DOUBLE) AS "overtime_hours",
         CAST(COALESCE(SUM("paid_hours"), 0) AS DOUBLE) AS "paid_hours",
         CAST(COALESCE(SUM("scheduled_seconds"), 0) AS DOUBLE) AS "scheduled_time",
         CAST(COALESCE(SUM("shrinkage_hours"), 0) AS DOUBLE) AS "shrinkage_hours"
  FROM "northwind"."shifts"
  WHERE "shift_date" IS NOT NULL AND "client" IS NOT NULL
  GROUP BY TO_CHAR(CAST("shift_date" AS DATE), 'YYYY-MM'), (YEAR(CAST("shift_date" AS DATE)) * 12 + MONTH(CAST("shift_date" AS DATE)) - 1), "client"
),

-- Source surveys "Survey answers" (sources.kra:61), table northwind.surveys, by month.
--   nps_detractors (metrics.kra:177): sum of responses in surveys where survey = "nps" and score < 7
--   nps_promoters (metrics.kra:167): sum of responses in surveys where survey = "nps" and score > 8
--   nps_responses (metrics.kra:157): sum of responses in surveys where survey = "nps" and score is not null
source_5 AS (
  SELECT TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1) AS "period_index",
         'total' AS "dimension",
         '' AS "member",
         CAST(COALESCE(SUM(CASE WHEN ("survey" = 'nps' AND "score" < 7) THEN "responses" END), 0) AS DOUBLE) AS "nps_detractors",
         CAST(COALESCE(SUM(CASE WHEN ("survey" = 'nps' AND "score" > 8) THEN "responses" END), 0) AS DOUBLE) AS "nps_promoters",
         CAST(COALESCE(SUM(CASE WHEN ("survey" = 'nps' AND "score" IS NOT NULL) THEN "responses" END), 0) AS DOUBLE) AS "nps_responses"
  FROM "northwind"."surveys"
  WHERE "answered_on" IS NOT NULL
  GROUP BY TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM'), (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1)
  UNION ALL
  SELECT TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1) AS "period_index",
         'team' AS "dimension",
         CAST("team" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM(CASE WHEN ("survey" = 'nps' AND "score" < 7) THEN "responses" END), 0) AS DOUBLE) AS "nps_detractors",
         CAST(COALESCE(SUM(CASE WHEN ("survey" = 'nps' AND "score" > 8) THEN "responses" END), 0) AS DOUBLE) AS "nps_promoters",
         CAST(COALESCE(SUM(CASE WHEN ("survey" = 'nps' AND "score" IS NOT NULL) THEN "responses" END), 0) AS DOUBLE) AS "nps_responses"
  FROM "northwind"."surveys"
  WHERE "answered_on" IS NOT NULL AND "team" IS NOT NULL
  GROUP BY TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM'), (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1), "team"
  UNION ALL
  SELECT TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM') AS "period",
         (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1) AS "period_index",
         'client' AS "dimension",
         CAST("client" AS VARCHAR) AS "member",
         CAST(COALESCE(SUM(CASE WHEN ("survey" = 'nps' AND "score" < 7) THEN "responses" END), 0) AS DOUBLE) AS "nps_detractors",
         CAST(COALESCE(SUM(CASE WHEN ("survey" = 'nps' AND "score" > 8) THEN "responses" END), 0) AS DOUBLE) AS "nps_promoters",
         CAST(COALESCE(SUM(CASE WHEN ("survey" = 'nps' AND "score" IS NOT NULL) THEN "responses" END), 0) AS DOUBLE) AS "nps_responses"
  FROM "northwind"."surveys"
  WHERE "answered_on" IS NOT NULL AND "client" IS NOT NULL
  GROUP BY TO_CHAR(CAST("answered_on" AS DATE), 'YYYY-MM'), (YEAR(CAST("answered_on" AS DATE)) * 12 + MONTH(CAST("answered_on" AS DATE)) - 1), "client"
),

-- Every metric measured from a source, per period, in total (dimension 'total', member '') and per member.
metric_values AS (
  SELECT "period",
         "period_index",
         "dimension",
         "member",
         MAX("after_call_work") AS "after_call_work",
         MAX("available_time") AS "available_time",
         MAX("calls_abandoned") AS "calls_abandoned",
         MAX("calls_answered_in_20s") AS "calls_answered_in_20s",
         MAX("calls_handled") AS "calls_handled",
         MAX("calls_offered") AS "calls_offered",
         MAX("hold_time") AS "hold_time",
         MAX("short_abandons") AS "short_abandons",
         MAX("talk_time") AS "talk_time",
         MAX("issues_raised") AS "issues_raised",
         MAX("issues_resolved_first_contact") AS "issues_resolved_first_contact",
         MAX("csat_responses") AS "csat_responses",
         MAX("csat_satisfied") AS "csat_satisfied",
         MAX("adherent_time") AS "adherent_time",
         MAX("billable_hours") AS "billable_hours",
         MAX("forecast_interval_error") AS "forecast_interval_error",
         MAX("overtime_hours") AS "overtime_hours",
         MAX("paid_hours") AS "paid_hours",
         MAX("scheduled_time") AS "scheduled_time",
         MAX("shrinkage_hours") AS "shrinkage_hours",
         MAX("nps_detractors") AS "nps_detractors",
         MAX("nps_promoters") AS "nps_promoters",
         MAX("nps_responses") AS "nps_responses"
  FROM (
    SELECT "period", "period_index", "dimension", "member", "after_call_work", "available_time", "calls_abandoned", "calls_answered_in_20s", "calls_handled", "calls_offered", "hold_time", "short_abandons", "talk_time", CAST(NULL AS DOUBLE) AS "issues_raised", CAST(NULL AS DOUBLE) AS "issues_resolved_first_contact", CAST(NULL AS DOUBLE) AS "csat_responses", CAST(NULL AS DOUBLE) AS "csat_satisfied", CAST(NULL AS DOUBLE) AS "adherent_time", CAST(NULL AS DOUBLE) AS "billable_hours", CAST(NULL AS DOUBLE) AS "forecast_interval_error", CAST(NULL AS DOUBLE) AS "overtime_hours", CAST(NULL AS DOUBLE) AS "paid_hours", CAST(NULL AS DOUBLE) AS "scheduled_time", CAST(NULL AS DOUBLE) AS "shrinkage_hours", CAST(NULL AS DOUBLE) AS "nps_detractors", CAST(NULL AS DOUBLE) AS "nps_promoters", CAST(NULL AS DOUBLE) AS "nps_responses" FROM source_1
    UNION ALL
    SELECT "period", "period_index", "dimension", "member", CAST(NULL AS DOUBLE) AS "after_call_work", CAST(NULL AS DOUBLE) AS "available_time", CAST(NULL AS DOUBLE) AS "calls_abandoned", CAST(NULL AS DOUBLE) AS "calls_answered_in_20s", CAST(NULL AS DOUBLE) AS "calls_handled", CAST(NULL AS DOUBLE) AS "calls_offered", CAST(NULL AS DOUBLE) AS "hold_time", CAST(NULL AS DOUBLE) AS "short_abandons", CAST(NULL AS DOUBLE) AS "talk_time", "issues_raised", "issues_resolved_first_contact", CAST(NULL AS DOUBLE) AS "csat_responses", CAST(NULL AS DOUBLE) AS "csat_satisfied", CAST(NULL AS DOUBLE) AS "adherent_time", CAST(NULL AS DOUBLE) AS "billable_hours", CAST(NULL AS DOUBLE) AS "forecast_interval_error", CAST(NULL AS DOUBLE) AS "overtime_hours", CAST(NULL AS DOUBLE) AS "paid_hours", CAST(NULL AS DOUBLE) AS "scheduled_time", CAST(NULL AS DOUBLE) AS "shrinkage_hours", CAST(NULL AS DOUBLE) AS "nps_detractors", CAST(NULL AS DOUBLE) AS "nps_promoters", CAST(NULL AS DOUBLE) AS "nps_responses" FROM source_2
    UNION ALL
    SELECT "period", "period_index", "dimension", "member", CAST(NULL AS DOUBLE) AS "after_call_work", CAST(NULL AS DOUBLE) AS "available_time", CAST(NULL AS DOUBLE) AS "calls_abandoned", CAST(NULL AS DOUBLE) AS "calls_answered_in_20s", CAST(NULL AS DOUBLE) AS "calls_handled", CAST(NULL AS DOUBLE) AS "calls_offered", CAST(NULL AS DOUBLE) AS "hold_time", CAST(NULL AS DOUBLE) AS "short_abandons", CAST(NULL AS DOUBLE) AS "talk_time", CAST(NULL AS DOUBLE) AS "issues_raised", CAST(NULL AS DOUBLE) AS "issues_resolved_first_contact", "csat_responses", "csat_satisfied", CAST(NULL AS DOUBLE) AS "adherent_time", CAST(NULL AS DOUBLE) AS "billable_hours", CAST(NULL AS DOUBLE) AS "forecast_interval_error", CAST(NULL AS DOUBLE) AS "overtime_hours", CAST(NULL AS DOUBLE) AS "paid_hours", CAST(NULL AS DOUBLE) AS "scheduled_time", CAST(NULL AS DOUBLE) AS "shrinkage_hours", CAST(NULL AS DOUBLE) AS "nps_detractors", CAST(NULL AS DOUBLE) AS "nps_promoters", CAST(NULL AS DOUBLE) AS "nps_responses" FROM source_3
    UNION ALL
    SELECT "period", "period_index", "dimension", "member", CAST(NULL AS DOUBLE) AS "after_call_work", CAST(NULL AS DOUBLE) AS "available_time", CAST(NULL AS DOUBLE) AS "calls_abandoned", CAST(NULL AS DOUBLE) AS "calls_answered_in_20s", CAST(NULL AS DOUBLE) AS "calls_handled", CAST(NULL AS DOUBLE) AS "calls_offered", CAST(NULL AS DOUBLE) AS "hold_time", CAST(NULL AS DOUBLE) AS "short_abandons", CAST(NULL AS DOUBLE) AS "talk_time", CAST(NULL AS DOUBLE) AS "issues_raised", CAST(NULL AS DOUBLE) AS "issues_resolved_first_contact", CAST(NULL AS DOUBLE) AS "csat_responses", CAST(NULL AS DOUBLE) AS "csat_satisfied", "adherent_time", "billable_hours", "forecast_interval_error", "overtime_hours", "paid_hours", "scheduled_time", "shrinkage_hours", CAST(NULL AS DOUBLE) AS "nps_detractors", CAST(NULL AS DOUBLE) AS "nps_promoters", CAST(NULL AS DOUBLE) AS "nps_responses" FROM source_4
    UNION ALL
    SELECT "period", "period_index", "dimension", "member", CAST(NULL AS DOUBLE) AS "after_call_work", CAST(NULL AS DOUBLE) AS "available_time", CAST(NULL AS DOUBLE) AS "calls_abandoned", CAST(NULL AS DOUBLE) AS "calls_answered_in_20s", CAST(NULL AS DOUBLE) AS "calls_handled", CAST(NULL AS DOUBLE) AS "calls_offered", CAST(NULL AS DOUBLE) AS "hold_time", CAST(NULL AS DOUBLE) AS "short_abandons", CAST(NULL AS DOUBLE) AS "talk_time", CAST(NULL AS DOUBLE) AS "issues_raised", CAST(NULL AS DOUBLE) AS "issues_resolved_first_contact", CAST(NULL AS DOUBLE) AS "csat_responses", CAST(NULL AS DOUBLE) AS "csat_satisfied", CAST(NULL AS DOUBLE) AS "adherent_time", CAST(NULL AS DOUBLE) AS "billable_hours", CAST(NULL AS DOUBLE) AS "forecast_interval_error", CAST(NULL AS DOUBLE) AS "overtime_hours", CAST(NULL AS DOUBLE) AS "paid_hours", CAST(NULL AS DOUBLE) AS "scheduled_time", CAST(NULL AS DOUBLE) AS "shrinkage_hours", "nps_detractors", "nps_promoters", "nps_responses" FROM source_5
  ) all_sources
  GROUP BY "period", "period_index", "dimension", "member"
),

kpi_values AS (
  -- KPI operations.cost_to_serve.billable_utilisation "Billable utilisation" (operations.kra:175): safe_ratio(billable_hours, paid_hours) in percent
  SELECT 'operations.cost_to_serve.billable_utilisation' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST(((metric_values."billable_hours" * 3600) / NULLIF((metric_values."paid_hours" * 3600), 0)) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI operations.customer_experience.csat "Customer satisfaction (CSAT)" (operations.kra:91): safe_ratio(csat_satisfied, csat_responses) in percent
  SELECT 'operations.customer_experience.csat' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST((metric_values."csat_satisfied" / NULLIF(metric_values."csat_responses", 0)) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'agent', 'team', 'client')
  UNION ALL
  -- KPI operations.customer_experience.nps "Net promoter score (NPS)" (operations.kra:108): (safe_ratio(nps_promoters, nps_responses) - safe_ratio(nps_detractors, nps_responses)) * 100 in score
  SELECT 'operations.customer_experience.nps' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST((((metric_values."nps_promoters" / NULLIF(metric_values."nps_responses", 0)) - (metric_values."nps_detractors" / NULLIF(metric_values."nps_responses", 0))) * 100) AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI operations.productivity.aht "Average handle time (AHT)" (operations.kra:132): safe_ratio(talk_time + hold_time + after_call_work, calls_handled) in seconds
  SELECT 'operations.productivity.aht' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST((((metric_values."talk_time" + metric_values."hold_time") + metric_values."after_call_work") / NULLIF(metric_values."calls_handled", 0)) AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI operations.productivity.schedule_adherence "Schedule adherence" (operations.kra:148): safe_ratio(adherent_time, scheduled_time) in percent
  SELECT 'operations.productivity.schedule_adherence' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST((metric_values."adherent_time" / NULLIF(metric_values."scheduled_time", 0)) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI operations.service.abandonment_rate "Abandonment rate" (operations.kra:51): safe_ratio(calls_abandoned, calls_offered) in percent
  SELECT 'operations.service.abandonment_rate' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST((metric_values."calls_abandoned" / NULLIF(metric_values."calls_offered", 0)) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI operations.service.fcr "First contact resolution (FCR)" (operations.kra:67): safe_ratio(issues_resolved_first_contact, issues_raised) in percent
  SELECT 'operations.service.fcr' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST((metric_values."issues_resolved_first_contact" / NULLIF(metric_values."issues_raised", 0)) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI operations.service.service_level "Service level (20 seconds)" (operations.kra:23): safe_ratio(calls_answered_in_20s, calls_offered) in percent
  SELECT 'operations.service.service_level' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST((metric_values."calls_answered_in_20s" / NULLIF(metric_values."calls_offered", 0)) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI operations.service.service_level, variant operations.service.service_level.excluding_short_abandons "Service level, short abandons excluded" (operations.kra:42): safe_ratio(calls_answered_in_20s, calls_offered - short_abandons) in percent
  SELECT 'operations.service.service_level' AS "kpi", 'operations.service.service_level.excluding_short_abandons' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST((metric_values."calls_answered_in_20s" / NULLIF((metric_values."calls_offered" - metric_values."short_abandons"), 0)) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI workforce.labour_cost.overtime_ratio "Overtime ratio" (workforce.kra:87): safe_ratio(overtime_hours, paid_hours) in percent
  SELECT 'workforce.labour_cost.overtime_ratio' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST(((metric_values."overtime_hours" * 3600) / NULLIF((metric_values."paid_hours" * 3600), 0)) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI workforce.shrinkage_control.shrinkage "Shrinkage" (workforce.kra:62): safe_ratio(shrinkage_hours, paid_hours) in percent
  SELECT 'workforce.shrinkage_control.shrinkage' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST(((metric_values."shrinkage_hours" * 3600) / NULLIF((metric_values."paid_hours" * 3600), 0)) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI workforce.staffing.forecast_accuracy "Forecast accuracy" (workforce.kra:22): 1 - safe_ratio(forecast_interval_error, calls_offered) in percent
  SELECT 'workforce.staffing.forecast_accuracy' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST((1 - (metric_values."forecast_interval_error" / NULLIF(metric_values."calls_offered", 0))) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
  UNION ALL
  -- KPI workforce.staffing.occupancy "Occupancy" (workforce.kra:37): safe_ratio(talk_time + hold_time + after_call_work, talk_time + hold_time + after_call_work + available_time) in percent
  SELECT 'workforce.staffing.occupancy' AS "kpi", '' AS "variant", metric_values."period", metric_values."dimension", metric_values."member",
         CAST((((metric_values."talk_time" + metric_values."hold_time") + metric_values."after_call_work") / NULLIF((((metric_values."talk_time" + metric_values."hold_time") + metric_values."after_call_work") + metric_values."available_time"), 0)) / 0.01 AS DOUBLE) AS "value"
  FROM metric_values
  WHERE metric_values."dimension" IN ('total', 'team', 'client')
)
SELECT * FROM kpi_values
ORDER BY "kpi", "variant", "period", "dimension", "member";
