-- envdeck demo workspace: n8n's execution_entity, one row per run, derived from each
-- environment's own workflows rows (run after dev.sql / prod.sql), so the workflow drawer's
-- last runs and stats agree with the dashboard's counters:
--   * a workflow has execution_count runs, failed_executions of them with status 'error';
--   * the newest run starts at last_execution_at with last_execution_status, and a workflow
--     whose last run failed has its newest (up to 3) runs failed; its other failures, and all
--     of a healthy workflow's, are spread evenly over the older runs;
--   * runs are evenly spaced, by whole minutes, over the time from the workflow's created_at to
--     the demo's writing (2026-11-20), counted back from its last run.
-- n8n keeps a run's error inside execution_data; the demo flattens it into `error`.

WITH RECURSIVE
n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT MAX(execution_count) FROM workflows)),
w AS (
    SELECT id, name, n8n_workflow_id, last_execution_at AS last_at,
           execution_count AS c, failed_executions AS f,
           CASE WHEN last_execution_status = 'error' THEN MIN(3, failed_executions) ELSE 0 END AS e,
           -- Fixed dates only, so the spacing is the same whenever the demo is created.
           MAX(60, CAST((julianday('2026-11-20') - julianday(created_at)) * 86400 / MAX(execution_count, 1) / 60 AS INTEGER) * 60) AS gap
    FROM workflows
    WHERE execution_count > 0 AND last_execution_at IS NOT NULL
),
r AS (
    SELECT w.*, n.i,
           MAX(w.e, 1) AS s,
           CASE
               WHEN n.i < w.e THEN 1
               WHEN n.i = 0 THEN 0
               WHEN ((n.i - MAX(w.e, 1) + 1) * (w.f - w.e)) / (w.c - MAX(w.e, 1))
                  > ((n.i - MAX(w.e, 1)) * (w.f - w.e)) / (w.c - MAX(w.e, 1)) THEN 1
               ELSE 0
           END AS failed
    FROM w JOIN n ON n.i < w.c
)
INSERT INTO execution_entity (finished, mode, "startedAt", "stoppedAt", "workflowId", status, error)
SELECT
    1 - failed,
    CASE WHEN i % 17 = 5 THEN 'manual' ELSE 'trigger' END,
    strftime('%Y-%m-%dT%H:%M:%SZ', last_at, '-' || (i * gap) || ' seconds'),
    strftime('%Y-%m-%dT%H:%M:%SZ', last_at, '-' || (i * gap) || ' seconds',
             '+' || CASE WHEN failed = 1 THEN 2 + i % 5 ELSE 1 + (id * 7 + i * 13) % 40 END || ' seconds'),
    n8n_workflow_id,
    CASE WHEN failed = 1 THEN 'error' ELSE 'success' END,
    CASE
        WHEN failed = 0 THEN NULL
        WHEN i < e AND name IN ('Instagram comment auto-reply') THEN
            'NodeApiError: Instagram: (#190) This Instagram account needs reauthorization: the user changed their password or Facebook ended the session [node "Reply to Comment"]'
        WHEN i < e AND name LIKE '%Notion%' AND name NOT LIKE '%Slack%' THEN
            'NodeApiError: Notion: Could not find database with ID: 8c1f0c9e-2b7a-4c6d-9e3f-1a2b3c4d5e6f. Make sure the relevant pages and databases are shared with your integration [node "Query Database"]'
        WHEN i < e THEN
            'NodeApiError: Slack: invalid_auth: the OAuth token of "Slack bot" has expired or was revoked; reconnect Slack for this environment [node "Send Message"]'
        WHEN i % 3 = 0 THEN
            'NodeApiError: The service is receiving too many requests from you (HTTP 429): try again later'
        ELSE
            'NodeOperationError: Timeout awaiting ''request'' for 300000ms' || char(10) ||
            '    at ClientRequest.<anonymous> (/usr/local/lib/node_modules/n8n/node_modules/got/dist/source/core/index.js:1182:29)' || char(10) ||
            '    at Object.onceWrapper (node:events:633:28)' || char(10) ||
            '    at ClientRequest.emit (node:events:531:35)' || char(10) ||
            '    at TLSSocket.socketErrorListener (node:_http_client:500:9)' || char(10) ||
            '    at TLSSocket.emit (node:events:519:28)' || char(10) ||
            '    at emitErrorNT (node:internal/streams/destroy:169:8)' || char(10) ||
            '    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)'
    END
FROM r;
