-- The DuckDB peer of the benchmark (dev.chatbotroi.bench.DuckDbPeer): the same NDJSON lake our
-- Spark job reads, taken through docs/ingest.md and docs/metrics.md in plain SQL, down to the conversation
-- facts and the day × intent metrics conversations, engaged_conversations, resolution_rate,
-- deflection_rate, handoff_rate, fallback_rate and median_turns. Its numbers must equal ours:
-- two independent implementations of the contract that agree are the correctness check.
--
-- Variables, set by DuckDbPeer before this script runs (SET VARIABLE):
--   lake                folder made by `chatbot-roi generate` (events/, helpdesk/), absolute, no trailing /
--   timezone            reporting.timezone
--   currency            currency (purchases in another currency are bad_property)
--   eligible_intents    deflection.eligible-intents, trimmed and lower-cased, as a list of strings
--   ticket_window_days  deflection.ticket-window-days
--
-- Statements are separated by semicolons (outside comments and quotes). A statement preceded by
-- the line `-- when: ticket_files` runs only when the lake has help-desk files (read_csv of no
-- file fails).
--
-- Limits, none of which a generated lake exercises: only NDJSON event files are read (the
-- contract also allows Parquet; the script stops if it finds any); DuckDB's JSON parser accepts a
-- few texts Spark's rejects (trailing commas, NaN, a repeated key), which our ingest quarantines
-- as malformed_json; help-desk files are read as CSV with a header (not through a preset).

-- Naive TIMESTAMPs below are UTC instants, as in our Spark session (spark.sql.session.timeZone = UTC).
SET TimeZone = 'UTC';
-- Set explicitly (it is the default) because WITH ORDINALITY below relies on scans keeping input order.
SET preserve_insertion_order = true;

-- ---------------------------------------------------------------------------------------------
-- 1. Input files (docs/ingest.md#the-lake): anything under events/ ending in .json / .ndjson / .jsonl, optionally
--    .gz; a name or folder starting with _ or . (_SUCCESS, .crc files) is written by tools, never data.
--    Sorted by path: the order (file, line) decides which copy of a duplicate is kept.
-- ---------------------------------------------------------------------------------------------

SET VARIABLE events_dir = getvariable('lake') || '/events/';

SET VARIABLE event_files = (
  SELECT coalesce(list(file ORDER BY file), [])
  FROM glob(getvariable('events_dir') || '**')
  WHERE regexp_matches(file, '\.(json|ndjson|jsonl)(\.gz)?$', 'i')
    AND NOT regexp_matches(substr(file, length(getvariable('events_dir')) + 1), '(^|/)[._]'));

SELECT CASE
  WHEN len(getvariable('event_files')) = 0
    THEN error('duckdb peer: no NDJSON event files under ' || getvariable('events_dir'))
  WHEN EXISTS (SELECT 1 FROM glob(getvariable('events_dir') || '**')
               WHERE regexp_matches(file, '\.parquet$', 'i')
                 AND NOT regexp_matches(substr(file, length(getvariable('events_dir')) + 1), '(^|/)[._]'))
    THEN error('duckdb peer: reads NDJSON events only, found Parquet under ' || getvariable('events_dir'))
  END;

-- helpdesk/tickets.csv, or else every CSV under a helpdesk/tickets/ folder (docs/ingest.md: either form)
SET VARIABLE ticket_files = (
  WITH single AS (SELECT file FROM glob(getvariable('lake') || '/helpdesk/tickets.csv')),
  folder AS (
    SELECT file FROM glob(getvariable('lake') || '/helpdesk/tickets/**')
    WHERE regexp_matches(file, '\.csv(\.gz)?$', 'i')
      AND NOT regexp_matches(substr(file, length(getvariable('lake') || '/helpdesk/tickets/') + 1), '(^|/)[._]'))
  SELECT coalesce(list(file ORDER BY file), [])
  FROM (SELECT file FROM single UNION ALL
        SELECT file FROM folder WHERE NOT EXISTS (SELECT 1 FROM single)));

-- ---------------------------------------------------------------------------------------------
-- 2. Lines. Each line is one CSV cell: the delimiter is U+0001, which JSON text cannot hold
--    unescaped, and no quote or escape character is declared, so the text arrives unchanged (an
--    empty line arrives as NULL). WITH ORDINALITY numbers the rows in scan order (files in the order
--    given, lines in file order), which is the (file, line) order of de-duplication. Blank lines are skipped
--    and not counted (docs/ingest.md). A .gz file is decompressed by the reader.
-- ---------------------------------------------------------------------------------------------

CREATE TEMP TABLE lines AS
SELECT filename AS source_file, ordinality AS line_order, raw
FROM read_csv(getvariable('event_files'),
       columns = {'raw': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', header = false,
       auto_detect = false, filename = true, hive_partitioning = false, max_line_size = 67108864)
     WITH ORDINALITY
WHERE raw IS NOT NULL AND NOT regexp_full_match(raw, '\s*');

-- ---------------------------------------------------------------------------------------------
-- 3. Validation (docs/ingest.md). Helpers first: t is a value's JSON type as json_type names it
--    (NULL = absent, 'NULL' = JSON null), s its text.
-- ---------------------------------------------------------------------------------------------

-- absent, JSON null, or a string that is blank after trimming ("missing" in docs/ingest.md)
CREATE TEMP MACRO is_missing(t, s) AS t IS NULL OR t = 'NULL' OR (t = 'VARCHAR' AND trim(s) = '');
-- present with a non-null value
CREATE TEMP MACRO is_given(t) AS t IS NOT NULL AND t <> 'NULL';
CREATE TEMP MACRO is_integer(t) AS coalesce(t IN ('BIGINT', 'UBIGINT'), false);
CREATE TEMP MACRO is_number(t) AS coalesce(t IN ('BIGINT', 'UBIGINT', 'DOUBLE'), false);
-- channel, flow, intent, page_type: trimmed, lower-cased, empty → null (docs/ingest.md)
CREATE TEMP MACRO normalized(s) AS nullif(lower(trim(s)), '');
-- an id as sent, but a missing one is no id
CREATE TEMP MACRO id_or_null(t, s) AS CASE WHEN is_missing(t, s) THEN NULL ELSE s END;

-- A clock the calendar has: hour 00–23, minute and second 00–59 (Spark's cast rejects 24:00:00,
-- DuckDB's reads it as the next midnight). s starts with YYYY-MM-DD?HH:MM:SS.
CREATE TEMP MACRO valid_clock(s) AS
  try_cast(substr(s, 12, 2) AS INTEGER) <= 23 AND try_cast(substr(s, 15, 2) AS INTEGER) <= 59
  AND try_cast(substr(s, 18, 2) AS INTEGER) <= 59;
-- An offset ±HH:MM that exists: at most 18:00 (java.time's limit), minutes under 60.
CREATE TEMP MACRO valid_offset(s) AS
  s LIKE '%Z' OR (try_cast(right(s, 5)[1:2] AS INTEGER) * 60 + try_cast(right(s, 2) AS INTEGER) <= 18 * 60
                  AND try_cast(right(s, 2) AS INTEGER) <= 59);
-- event timestamp string (docs/ingest.md#timestamps): YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM), a real date and time, as a UTC
-- TIMESTAMP; digits past the microsecond are dropped (truncated, as Spark does). NULL otherwise.
CREATE TEMP MACRO iso_instant(s) AS
  CASE WHEN regexp_full_match(s,
              '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})')
            AND valid_clock(s) AND valid_offset(s)
       THEN try_cast(s AS TIMESTAMPTZ)::TIMESTAMP END;

-- Every JSON path a rule reads, extracted in one parse of the line.
CREATE TEMP TABLE checked AS
WITH objects AS (
  SELECT source_file, line_order, raw,
         -- malformed_json: not JSON, not an object, or an object followed by more text
         CASE WHEN json_valid(raw) THEN json_type(raw) = 'OBJECT' AND rtrim(raw) LIKE '%}' ELSE false END
           AS is_object
  FROM lines),
extracted AS (
  SELECT source_file, line_order, is_object,
         CASE WHEN is_object THEN json_extract(raw, [
           '$.event_id', '$.event_name', '$.event_ts', '$.anonymous_id', '$.user_id', '$.conversation_id',
           '$.channel', '$.flow', '$.intent', '$.page_type', '$.utm_source', '$.utm_medium', '$.utm_campaign',
           '$.properties', '$.properties.useful', '$.properties.reason', '$.properties.goal',
           '$.properties.question', '$.properties.topic', '$.properties.score', '$.properties.lead_id',
           '$.properties.email', '$.properties.meeting_id', '$.properties.order_id', '$.properties.revenue',
           '$.properties.currency', '$.properties.touch_channel']) END AS v
  FROM objects),
typed AS (
  SELECT source_file, line_order, is_object,
         json_type(v[1]) AS t_event_id,       json_extract_string(v[1], '$') AS event_id,
         json_type(v[2]) AS t_event_name,     json_extract_string(v[2], '$') AS event_name,
         json_type(v[3]) AS t_event_ts,       json_extract_string(v[3], '$') AS s_event_ts,
         json_type(v[4]) AS t_anonymous_id,   json_extract_string(v[4], '$') AS anonymous_id,
         json_type(v[5]) AS t_user_id,        json_extract_string(v[5], '$') AS user_id,
         json_type(v[6]) AS t_conversation_id, json_extract_string(v[6], '$') AS conversation_id,
         json_type(v[7]) AS t_channel,        json_extract_string(v[7], '$') AS channel,
         json_type(v[8]) AS t_flow,           json_extract_string(v[8], '$') AS flow,
         json_type(v[9]) AS t_intent,         json_extract_string(v[9], '$') AS intent,
         json_type(v[10]) AS t_page_type,
         json_type(v[11]) AS t_utm_source,
         json_type(v[12]) AS t_utm_medium,
         json_type(v[13]) AS t_utm_campaign,
         json_type(v[14]) AS t_properties,
         json_type(v[15]) AS t_useful,
         json_type(v[16]) AS t_reason,
         json_type(v[17]) AS t_goal,
         json_type(v[18]) AS t_question,      json_extract_string(v[18], '$') AS question,
         json_type(v[19]) AS t_topic,
         json_type(v[20]) AS t_score,         json_extract_string(v[20], '$') AS score,
         json_type(v[21]) AS t_lead_id,       json_extract_string(v[21], '$') AS lead_id,
         json_type(v[22]) AS t_email,
         json_type(v[23]) AS t_meeting_id,
         json_type(v[24]) AS t_order_id,      json_extract_string(v[24], '$') AS order_id,
         json_type(v[25]) AS t_revenue,       json_extract_string(v[25], '$') AS revenue,
         json_type(v[26]) AS t_currency,      json_extract_string(v[26], '$') AS currency,
         json_type(v[27]) AS t_touch_channel, json_extract_string(v[27], '$') AS touch_channel
  FROM extracted),
stamped AS (
  SELECT *,
         -- event_ts: integer epoch milliseconds (a magnitude Spark's timestamp holds) or the ISO form
         CASE WHEN t_event_ts IN ('BIGINT', 'UBIGINT') AND abs(try_cast(s_event_ts AS HUGEINT)) < 100000000000000
                THEN epoch_ms(try_cast(s_event_ts AS BIGINT))
              WHEN t_event_ts = 'VARCHAR' THEN iso_instant(s_event_ts) END AS event_ts
  FROM typed)
SELECT source_file, line_order,
  -- The first failing rule names the reason, in the check order of docs/ingest.md.
  CASE
    WHEN NOT is_object THEN 'malformed_json'
    WHEN is_missing(t_event_id, event_id) THEN 'missing_field'
    WHEN is_missing(t_event_name, event_name) THEN 'missing_field'
    -- exact, case-sensitive match; a name that is not a string is unknown too
    WHEN t_event_name <> 'VARCHAR' OR event_name NOT IN (
           'chat_impression', 'chat_opened', 'chat_engaged', 'user_message', 'bot_message',
           'bot_fallback', 'agent_message', 'bot_handoff_human', 'bot_goal_completed', 'bot_resolved',
           'ticket_deflected', 'bot_knowledge_gap', 'csat_response', 'lead_captured_chat',
           'meeting_booked', 'purchase_after_chat', 'chat_closed', 'marketing_touch',
           'experiment_assigned') THEN 'unknown_event'
    WHEN is_missing(t_event_ts, s_event_ts) THEN 'missing_field'
    WHEN event_ts IS NULL THEN 'bad_timestamp'
    WHEN is_missing(t_anonymous_id, anonymous_id) AND is_missing(t_user_id, user_id) THEN 'missing_field'
    WHEN is_missing(t_channel, channel) THEN 'missing_field'
    WHEN event_name NOT IN ('chat_impression', 'marketing_touch', 'experiment_assigned')
         AND is_missing(t_conversation_id, conversation_id) THEN 'missing_field'
    -- required properties (docs/ingest.md)
    WHEN (event_name = 'bot_knowledge_gap' AND is_missing(t_question, question))
      OR (event_name = 'csat_response' AND is_missing(t_score, score))
      OR (event_name = 'lead_captured_chat' AND is_missing(t_lead_id, lead_id))
      OR (event_name = 'purchase_after_chat' AND (is_missing(t_order_id, order_id) OR is_missing(t_revenue, revenue)))
      OR (event_name = 'marketing_touch' AND is_missing(t_touch_channel, touch_channel)) THEN 'missing_property'
    -- JSON types (docs/ingest.md): ids and names are strings, properties an object, and per event the typed properties
    WHEN (is_given(t_event_id) AND t_event_id <> 'VARCHAR')
      OR (is_given(t_anonymous_id) AND t_anonymous_id <> 'VARCHAR')
      OR (is_given(t_user_id) AND t_user_id <> 'VARCHAR')
      OR (is_given(t_conversation_id) AND t_conversation_id <> 'VARCHAR')
      OR (is_given(t_channel) AND t_channel <> 'VARCHAR')
      OR (is_given(t_flow) AND t_flow <> 'VARCHAR')
      OR (is_given(t_intent) AND t_intent <> 'VARCHAR')
      OR (is_given(t_page_type) AND t_page_type <> 'VARCHAR')
      OR (is_given(t_utm_source) AND t_utm_source <> 'VARCHAR')
      OR (is_given(t_utm_medium) AND t_utm_medium <> 'VARCHAR')
      OR (is_given(t_utm_campaign) AND t_utm_campaign <> 'VARCHAR')
      OR (is_given(t_properties) AND t_properties <> 'OBJECT')
      OR (event_name = 'bot_message' AND is_given(t_useful) AND t_useful <> 'BOOLEAN')
      OR (event_name IN ('bot_fallback', 'bot_handoff_human') AND is_given(t_reason) AND t_reason <> 'VARCHAR')
      OR (event_name = 'bot_goal_completed' AND is_given(t_goal) AND t_goal <> 'VARCHAR')
      OR (event_name = 'bot_knowledge_gap' AND ((is_given(t_question) AND t_question <> 'VARCHAR')
                                             OR (is_given(t_topic) AND t_topic <> 'VARCHAR')))
      OR (event_name = 'csat_response' AND is_given(t_score)
          AND NOT (is_integer(t_score) AND coalesce(try_cast(score AS HUGEINT) BETWEEN 1 AND 5, false)))
      OR (event_name IN ('lead_captured_chat', 'meeting_booked') AND is_given(t_lead_id) AND t_lead_id <> 'VARCHAR')
      OR (event_name = 'lead_captured_chat' AND is_given(t_email) AND t_email <> 'VARCHAR')
      OR (event_name = 'meeting_booked' AND is_given(t_meeting_id) AND t_meeting_id <> 'VARCHAR')
      OR (event_name = 'purchase_after_chat' AND (
             (is_given(t_order_id) AND t_order_id <> 'VARCHAR')
          -- revenue: a number ≥ 0 that fits DECIMAL(38,6), the type the events table stores
          OR (is_given(t_revenue) AND NOT (is_number(t_revenue)
                                           AND coalesce(try_cast(revenue AS DECIMAL(38, 6)) >= 0, false)))
          -- currency: empty means the setting; anything else must be it
          OR (is_given(t_currency) AND (t_currency <> 'VARCHAR'
              OR (upper(trim(currency)) <> getvariable('currency') AND trim(currency) <> '')))))
      OR (event_name = 'marketing_touch' AND is_given(t_touch_channel) AND t_touch_channel <> 'VARCHAR')
      THEN 'bad_property'
  END AS reason,
  event_id, event_name, event_ts,
  id_or_null(t_anonymous_id, anonymous_id) AS anonymous_id,
  id_or_null(t_user_id, user_id) AS user_id,
  id_or_null(t_conversation_id, conversation_id) AS conversation_id,
  normalized(channel) AS channel,
  normalized(flow) AS flow,
  normalized(intent) AS intent,
  -- properties.lead_id on any event (the identity map reads it wherever it is)
  id_or_null(t_lead_id, lead_id) AS lead_id,
  id_or_null(t_order_id, order_id) AS order_id
FROM stamped;

-- ---------------------------------------------------------------------------------------------
-- 4. De-duplication (docs/ingest.md), valid records only: per event_id the copy with the smallest (file, line);
--    then per order_id the earliest (event_ts, event_id) purchase. Purchases are not conversation
--    events, but they feed the identity map, so the second step matters too.
-- ---------------------------------------------------------------------------------------------

CREATE TEMP TABLE accepted AS
WITH first_copy AS (
  SELECT * EXCLUDE (reason) FROM checked
  WHERE reason IS NULL
  QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY source_file, line_order) = 1),
purchases AS (
  SELECT * FROM first_copy
  WHERE event_name = 'purchase_after_chat' AND order_id IS NOT NULL
  QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY event_ts, event_id) = 1)
SELECT * FROM first_copy WHERE NOT (event_name = 'purchase_after_chat' AND order_id IS NOT NULL)
UNION ALL
SELECT * FROM purchases;

-- ---------------------------------------------------------------------------------------------
-- 5. Help-desk tickets (docs/ingest.md): cells trimmed, empty = null; a row with no ticket_id, an
--    unparseable created_at or a csat_score outside 1–5 is quarantined; per ticket_id the last row
--    (file, line) wins. Only the columns the ticket rule of `deflected` needs are kept.
-- ---------------------------------------------------------------------------------------------

CREATE TEMP TABLE ticket_rows (
  source_file VARCHAR, row_order BIGINT, ticket_id VARCHAR, created_at VARCHAR, anonymous_id VARCHAR,
  lead_id VARCHAR, conversation_id VARCHAR, csat_score VARCHAR);

-- when: ticket_files
INSERT INTO ticket_rows
SELECT filename, ordinality, ticket_id, created_at, anonymous_id, lead_id, conversation_id, csat_score
FROM read_csv(getvariable('ticket_files'), header = true, all_varchar = true, delim = ',', quote = '"',
       filename = true, hive_partitioning = false, union_by_name = true)
     WITH ORDINALITY;

-- A CRM / help-desk timestamp (docs/ingest.md): the event forms, epoch milliseconds, or a date or a local
-- date-time without offset, read in the reporting time zone. NULL when unparseable.
CREATE TEMP MACRO crm_instant(s) AS
  CASE WHEN regexp_full_match(s,
              '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})')
         THEN iso_instant(s)
       WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
         THEN timezone(getvariable('timezone'), try_cast(s AS TIMESTAMP))::TIMESTAMP
       WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}')
         THEN CASE WHEN valid_clock(s)
                   THEN timezone(getvariable('timezone'), try_cast(replace(s, 'T', ' ') AS TIMESTAMP))::TIMESTAMP END
       WHEN regexp_full_match(s, '-?[0-9]{1,15}') THEN epoch_ms(try_cast(s AS BIGINT)) END;

CREATE TEMP TABLE tickets AS
WITH cells AS (
  SELECT source_file, row_order,
         nullif(trim(ticket_id), '') AS ticket_id, nullif(trim(created_at), '') AS created_text,
         nullif(trim(anonymous_id), '') AS anonymous_id, nullif(trim(lead_id), '') AS lead_id,
         nullif(trim(conversation_id), '') AS conversation_id, nullif(trim(csat_score), '') AS csat_score
  FROM ticket_rows
  -- blank lines are no rows (docs/ingest.md)
  WHERE NOT (ticket_id IS NULL AND created_at IS NULL AND anonymous_id IS NULL AND lead_id IS NULL
             AND conversation_id IS NULL AND csat_score IS NULL)),
valid AS (
  SELECT *, crm_instant(created_text) AS created_at FROM cells)
SELECT ticket_id, created_at, anonymous_id, lead_id, conversation_id
FROM valid
WHERE ticket_id IS NOT NULL
  AND NOT (created_text IS NOT NULL AND created_at IS NULL)
  AND NOT (csat_score IS NOT NULL AND NOT regexp_full_match(csat_score, '[1-5]'))
QUALIFY row_number() OVER (PARTITION BY ticket_id ORDER BY source_file DESC, row_order DESC) = 1;

-- ---------------------------------------------------------------------------------------------
-- 6. Conversation facts (docs/metrics.md#conversations): one row per conversation_id from its events other than
--    chat_impression, marketing_touch, experiment_assigned and purchase_after_chat. Order and ties: (event_ts, event_id).
-- ---------------------------------------------------------------------------------------------

-- anonymous_id → lead_id from the earliest event carrying both, over all accepted events (user_id
-- wins over properties.lead_id on one event)
CREATE TEMP TABLE identity_map AS
SELECT anonymous_id,
       arg_min(coalesce(user_id, lead_id), {'ts': event_ts, 'id': event_id}) AS mapped_lead_id
FROM accepted
WHERE anonymous_id IS NOT NULL AND coalesce(user_id, lead_id) IS NOT NULL
GROUP BY anonymous_id;

CREATE TEMP TABLE conversations AS
WITH conv_events AS (
  SELECT *, {'ts': event_ts, 'id': event_id} AS ord
  FROM accepted
  WHERE conversation_id IS NOT NULL
    AND event_name NOT IN ('chat_impression', 'marketing_touch', 'experiment_assigned', 'purchase_after_chat')),
facts AS (
  SELECT conversation_id,
    -- dimensions and anonymous_id: from the earliest event on which they are not null
    arg_min(anonymous_id, ord) FILTER (WHERE anonymous_id IS NOT NULL) AS anonymous_id,
    arg_min(channel, ord) FILTER (WHERE channel IS NOT NULL) AS channel,
    arg_min(flow, ord) FILTER (WHERE flow IS NOT NULL) AS flow,
    arg_min(intent, ord) FILTER (WHERE intent IS NOT NULL) AS intent,
    min(event_ts) AS start_ts,
    max(event_ts) AS end_ts,
    bool_or(event_name IN ('chat_engaged', 'user_message')) AS engaged,
    count(*) FILTER (WHERE event_name = 'user_message') AS user_turns,
    count(*) FILTER (WHERE event_name IN ('bot_message', 'bot_fallback')) AS bot_turns,
    count(*) FILTER (WHERE event_name = 'bot_fallback') AS fallback_turns,
    bool_or(event_name = 'bot_goal_completed') AS goal_completed,
    bool_or(event_name IN ('bot_resolved', 'ticket_deflected')) AS resolved,
    bool_or(event_name = 'bot_handoff_human') AS handed_off,
    bool_or(event_name = 'agent_message') AS agent_involved,
    -- lead_id (docs/metrics.md): earliest captured lead_id, else earliest user_id, else the identity map
    arg_min(lead_id, ord) FILTER (WHERE event_name IN ('lead_captured_chat', 'meeting_booked')
                                   AND lead_id IS NOT NULL) AS captured_lead_id,
    arg_min(user_id, ord) FILTER (WHERE user_id IS NOT NULL) AS user_lead_id
  FROM conv_events
  GROUP BY conversation_id),
linked AS (
  SELECT f.*,
         coalesce(f.captured_lead_id, f.user_lead_id, m.mapped_lead_id) AS lead_id,
         coalesce(list_contains(getvariable('eligible_intents'), f.intent), false) AS eligible
  FROM facts f LEFT JOIN identity_map m USING (anonymous_id)),
-- The ticket rule of `deflected`: a help-desk ticket of the same visitor (same conversation_id,
-- anonymous_id or lead_id; a null key never matches) created in [start_ts, end_ts + N days],
-- a day being exactly 86 400 s. One equi-join per key, so no join on OR.
candidates AS (SELECT conversation_id, anonymous_id, lead_id, start_ts, end_ts FROM linked WHERE eligible AND resolved),
ticketed AS (
  SELECT DISTINCT conversation_id FROM (
    SELECT c.conversation_id, c.start_ts, c.end_ts, t.created_at
      FROM candidates c JOIN tickets t ON t.conversation_id = c.conversation_id
    UNION ALL
    SELECT c.conversation_id, c.start_ts, c.end_ts, t.created_at
      FROM candidates c JOIN tickets t ON t.anonymous_id = c.anonymous_id
    UNION ALL
    SELECT c.conversation_id, c.start_ts, c.end_ts, t.created_at
      FROM candidates c JOIN tickets t ON t.lead_id = c.lead_id)
  WHERE created_at >= start_ts
    AND created_at <= end_ts + to_seconds(getvariable('ticket_window_days') * 86400))
SELECT l.conversation_id,
       l.anonymous_id,
       -- the calendar date of the start in the reporting time zone
       timezone(getvariable('timezone'), timezone('UTC', l.start_ts))::DATE AS period_date,
       coalesce(l.channel, '(none)') AS channel,
       coalesce(l.flow, '(none)') AS flow,
       coalesce(l.intent, '(none)') AS intent,
       l.start_ts, l.end_ts, l.engaged, l.user_turns, l.bot_turns, l.fallback_turns,
       l.goal_completed, l.resolved, l.handed_off, l.agent_involved, l.lead_id, l.eligible,
       l.eligible AND l.resolved AND NOT l.handed_off AND NOT l.agent_involved
         AND t.conversation_id IS NULL AS deflected,
       l.goal_completed OR l.resolved AS completed
FROM linked l LEFT JOIN ticketed t USING (conversation_id);

-- ---------------------------------------------------------------------------------------------
-- 7. Day × intent metrics (docs/metrics.md), the rows of `metrics` with period_grain = day, channel and
--    flow = (all). A numerator counts only members of its denominator's population; a ratio or
--    median with an empty population is not written; counts are written for every day and intent
--    with conversations. Counts: numerator = value, no denominator; medians: no numerator,
--    denominator = n.
-- ---------------------------------------------------------------------------------------------

CREATE TEMP TABLE day_intent_metrics AS
WITH counts AS (
  SELECT period_date, intent,
         count(*) AS n_conv,
         count(*) FILTER (WHERE engaged) AS n_engaged,
         count(*) FILTER (WHERE engaged AND resolved) AS n_resolved_engaged,
         count(*) FILTER (WHERE eligible) AS n_eligible,
         count(*) FILTER (WHERE eligible AND deflected) AS n_deflected,
         count(*) FILTER (WHERE engaged AND handed_off) AS n_handoff,
         sum(fallback_turns) AS n_fallback_turns,
         sum(bot_turns) AS n_bot_turns,
         count(*) FILTER (WHERE completed) AS n_completed,
         -- exact median: the middle value or the mean of the two middle values
         median(user_turns::DOUBLE) FILTER (WHERE completed) AS med_turns
  FROM conversations
  GROUP BY period_date, intent),
metric_rows AS (
  SELECT period_date, intent, 'conversations' AS metric,
         n_conv::DOUBLE AS numerator, NULL::DOUBLE AS denominator, n_conv::DOUBLE AS value FROM counts
  UNION ALL
  SELECT period_date, intent, 'engaged_conversations', n_engaged, NULL, n_engaged FROM counts
  UNION ALL
  SELECT period_date, intent, 'resolution_rate', n_resolved_engaged, n_engaged,
         n_resolved_engaged / n_engaged FROM counts WHERE n_engaged > 0
  UNION ALL
  SELECT period_date, intent, 'deflection_rate', n_deflected, n_eligible,
         n_deflected / n_eligible FROM counts WHERE n_eligible > 0
  UNION ALL
  SELECT period_date, intent, 'handoff_rate', n_handoff, n_engaged,
         n_handoff / n_engaged FROM counts WHERE n_engaged > 0
  UNION ALL
  SELECT period_date, intent, 'fallback_rate', n_fallback_turns, n_bot_turns,
         n_fallback_turns / n_bot_turns FROM counts WHERE n_bot_turns > 0
  UNION ALL
  SELECT period_date, intent, 'median_turns', NULL, n_completed, med_turns FROM counts WHERE n_completed > 0)
SELECT period_date AS period_start, intent, metric,
       numerator::DOUBLE AS numerator, denominator::DOUBLE AS denominator, value::DOUBLE AS value
FROM metric_rows;
