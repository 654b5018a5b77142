//! The demo workspace's rows (src-tauri/demo/*.sql), as the fake backend serves them.
//! Generated once from the demo databases; times are offsets from now in seconds, or fixed dates.

/** provider, account, status, expires in (s), updated at */
export type DemoIntegration = [string, string, string, number | null, string];
/** name, active, runs, failures, last run (s ago), last status, updated at */
export type DemoWorkflow = [string, boolean, number, number, number | null, string | null, string];

export const DEV_INTEGRATIONS: DemoIntegration[] = [
  ["google", "ana@acme.test", "connected", 2592000, "2026-11-02T09:14:00Z"],
  ["google", "ben@acme.test", "connected", 2332800, "2026-10-30T12:41:00Z"],
  ["slack", "ana@acme.test", "connected", 2592000, "2026-11-03T08:00:00Z"],
  ["github", "chen@acme.test", "connected", null, "2026-08-10T09:12:00Z"],
  ["twitter", "ana@acme.test", "connected", 1209600, "2026-11-01T17:48:00Z"],
  ["linkedin", "ana@acme.test", "connected", 259200, "2026-09-21T10:15:00Z"],
  ["facebook", "ben@acme.test", "connected", 4492800, "2026-10-28T13:02:00Z"],
  ["instagram", "ben@acme.test", "connected", 4492800, "2026-10-28T13:04:00Z"],
  ["notion", "chen@acme.test", "connected", null, "2026-08-12T11:40:00Z"],
  ["hubspot", "dana@acme.test", "connected", 1814400, "2026-11-08T09:00:00Z"],
  ["hubspot", "ben@acme.test", "connected", 1555200, "2026-11-05T16:45:00Z"],
  ["stripe", "ana@acme.test", "connected", 31536000, "2026-08-14T08:20:00Z"],
];

export const DEV_WORKFLOWS: DemoWorkflow[] = [
  ["Calendar meeting prep", true, 31, 2, 86460, "success", "2026-09-24T17:35:10Z"],
  ["Churn risk alert", true, 19, 0, 86460, "success", "2026-09-21T20:55:37Z"],
  ["Contract folder watcher", false, 7, 0, 4060860, "success", "2026-10-20T06:34:24Z"],
  ["Daily LinkedIn post", true, 34, 1, 86460, "success", "2026-08-27T08:41:04Z"],
  ["Daily revenue report", true, 27, 0, 86460, "success", "2026-10-02T08:02:30Z"],
  ["Error workflow notifier", true, 25, 0, 86460, "success", "2026-10-19T08:35:55Z"],
  ["Facebook page post scheduler", true, 22, 2, 86460, "success", "2026-09-28T21:23:20Z"],
  ["Form lead enrichment", true, 18, 2, 172860, "success", "2026-10-14T17:48:06Z"],
  ["GitHub PR to Slack", true, 96, 0, 10860, "success", "2026-09-17T15:58:57Z"],
  ["GitHub issue triage", true, 57, 5, 21660, "success", "2026-09-18T03:11:27Z"],
  ["GitHub release notes to Notion", true, 5, 0, 1123260, "success", "2026-10-20T08:05:37Z"],
  ["Google Sheets signup log", true, 41, 0, 28860, "success", "2026-09-11T08:41:47Z"],
  ["HubSpot deal won celebration", true, 6, 0, 777660, "success", "2026-09-21T02:48:46Z"],
  ["Instagram comment auto-reply", true, 183, 4, 720, "success", "2026-09-15T04:10:39Z"],
  ["Monthly invoice export", true, 2, 0, 1641660, "success", "2026-10-11T23:46:34Z"],
  ["New Stripe customer to HubSpot", true, 14, 0, 259260, "success", "2026-09-06T14:05:40Z"],
  ["Nightly backup check", true, 33, 0, 72060, "success", "2026-10-06T20:55:57Z"],
  ["Notion task reminders", true, 44, 0, 86460, "success", "2026-10-02T14:19:06Z"],
  ["Post new blog articles to X", true, 12, 3, 21660, "success", "2026-09-02T14:10:25Z"],
  ["Slack lead alert", true, 61, 0, 18060, "success", "2026-09-02T20:17:37Z"],
  ["Slack standup collector", false, 0, 0, null, null, "2026-10-19T13:59:57Z"],
  ["Stripe failed payment follow-up", true, 9, 2, 172860, "success", "2026-11-16T14:22:00Z"],
  ["Stripe refund notifier", true, 3, 0, 1036860, "success", "2026-09-30T01:20:49Z"],
  ["Stripe subscription sync", true, 16, 0, 172860, "success", "2026-10-15T20:09:03Z"],
  ["Support inbox to Notion", true, 2880, 12, 120, "success", "2026-09-26T12:50:35Z"],
  ["Sync HubSpot contacts", true, 512, 6, 2580, "success", "2026-08-30T18:32:41Z"],
  ["Trial ending reminder", true, 20, 7, 86460, "error", "2026-10-11T09:26:04Z"],
  ["Weekly LinkedIn analytics", false, 4, 1, 3369660, "error", "2026-10-09T23:29:27Z"],
  ["Weekly Notion digest", true, 8, 0, 345660, "success", "2026-09-15T04:04:58Z"],
  ["Welcome email sequence", true, 38, 1, 28860, "success", "2026-09-11T04:24:46Z"],
];

export const PROD_INTEGRATIONS: DemoIntegration[] = [
  ["google", "ana@acme.test", "connected", 2592000, "2026-11-09T07:02:00Z"],
  ["google", "ben@acme.test", "connected", 2505600, "2026-11-10T16:33:00Z"],
  ["slack", "ana@acme.test", "expired", -518400, "2026-10-14T08:44:00Z"],
  ["github", "chen@acme.test", "connected", null, "2026-09-03T09:30:00Z"],
  ["linkedin", "ana@acme.test", "connected", 3542400, "2026-10-10T07:55:00Z"],
  ["facebook", "ben@acme.test", "connected", 5011200, "2026-11-06T09:21:00Z"],
  ["instagram", "ben@acme.test", "needs_reauthorization", 2851200, "2026-11-16T21:07:00Z"],
  ["notion", "chen@acme.test", "connected", null, "2026-09-05T10:02:00Z"],
  ["hubspot", "dana@acme.test", "connected", 2160000, "2026-11-12T14:10:00Z"],
  ["hubspot", "ben@acme.test", "connected", 2073600, "2026-11-11T10:30:00Z"],
  ["stripe", "ana@acme.test", "connected", 31536000, "2026-09-02T12:00:00Z"],
];

export const PROD_WORKFLOWS: DemoWorkflow[] = [
  ["Calendar meeting prep", true, 52, 0, 86460, "success", "2026-09-27T20:11:49Z"],
  ["Churn risk alert", true, 74, 6, 32460, "error", "2026-10-09T11:57:12Z"],
  ["Contract folder watcher", false, 0, 0, null, null, "2026-09-26T05:25:39Z"],
  ["Daily LinkedIn post", true, 58, 2, 86460, "success", "2026-10-21T11:53:23Z"],
  ["Daily revenue report", true, 73, 6, 54060, "error", "2026-11-04T21:29:32Z"],
  ["Error workflow notifier", true, 88, 14, 1620, "error", "2026-10-31T13:09:39Z"],
  ["Facebook page post scheduler", true, 96, 1, 18060, "success", "2026-10-09T13:40:10Z"],
  ["Form lead enrichment", true, 286, 23, 14460, "success", "2026-10-10T12:35:09Z"],
  ["GitHub PR to Slack", true, 244, 19, 7260, "error", "2026-09-23T23:52:44Z"],
  ["GitHub issue triage", true, 133, 2, 10860, "success", "2026-09-24T16:05:45Z"],
  ["GitHub release notes to Notion", true, 9, 0, 1123260, "success", "2026-10-20T23:22:37Z"],
  ["Google Sheets signup log", true, 1204, 5, 2160, "success", "2026-09-27T18:13:20Z"],
  ["HubSpot deal won celebration", true, 41, 0, 691260, "success", "2026-10-27T20:40:22Z"],
  ["Instagram comment auto-reply", false, 2210, 131, 345660, "error", "2026-11-16T21:15:00Z"],
  ["Monthly invoice export", true, 3, 0, 1641660, "success", "2026-09-29T03:52:14Z"],
  ["New Stripe customer to HubSpot", true, 318, 3, 25260, "success", "2026-10-27T16:02:50Z"],
  ["Nightly backup check", true, 77, 1, 72060, "success", "2026-10-19T14:35:00Z"],
  ["Notion task reminders", true, 71, 4, 86460, "error", "2026-10-24T10:04:35Z"],
  ["Slack lead alert", true, 412, 47, 1620, "error", "2026-09-16T11:05:00Z"],
  ["Slack standup collector", false, 0, 0, null, null, "2026-10-15T13:52:54Z"],
  ["Stripe failed payment follow-up", true, 37, 1, 259260, "success", "2026-11-10T12:07:33Z"],
  ["Stripe refund notifier", true, 18, 1, 864060, "success", "2026-10-20T15:13:01Z"],
  ["Stripe subscription sync", true, 205, 2, 21660, "success", "2026-09-17T09:36:00Z"],
  ["Support inbox to Notion", true, 9411, 38, 120, "success", "2026-10-20T21:49:41Z"],
  ["Sync HubSpot contacts", true, 1630, 11, 1140, "success", "2026-10-29T06:31:43Z"],
  ["Trial ending reminder", true, 68, 1, 86460, "success", "2026-10-27T08:22:24Z"],
  ["Weekly LinkedIn analytics", false, 6, 0, 2851260, "success", "2026-10-24T07:53:44Z"],
  ["Weekly Notion digest", true, 11, 1, 345660, "error", "2026-10-02T09:50:26Z"],
  ["Welcome email sequence", true, 1187, 9, 2160, "success", "2026-10-13T17:06:47Z"],
];

/** Workflow definitions with the per-environment node ids removed (they are noise). */
export const DEFINITIONS: Record<string, { dev: unknown; prod: unknown }> = {
  "Stripe failed payment follow-up": {
    dev: {"nodes": [{"name": "Stripe Trigger", "type": "n8n-nodes-base.stripeTrigger", "typeVersion": 1, "position": [240, 300], "parameters": {"events": ["invoice.payment_failed"]}}, {"name": "Get Customer", "type": "n8n-nodes-base.stripe", "typeVersion": 1, "position": [460, 300], "parameters": {"resource": "customer", "operation": "get", "customerId": "={{ $json.data.object.customer }}"}}, {"name": "Send Reminder Email", "type": "n8n-nodes-base.gmail", "typeVersion": 2.1, "position": [680, 300], "parameters": {"sendTo": "={{ $json.email }}", "subject": "Your Acme payment didn't go through", "emailType": "html", "message": "=<p>Hi {{ $json.name }},</p><p>We couldn't charge your card for invoice {{ $('Stripe Trigger').item.json.data.object.number }}. Please update your payment method: <a href=\"{{ $('Stripe Trigger').item.json.data.object.hosted_invoice_url }}\">pay invoice</a>.</p>", "options": {}}}, {"name": "Wait", "type": "n8n-nodes-base.wait", "typeVersion": 1.1, "position": [900, 300], "parameters": {"amount": 3, "unit": "days"}}, {"name": "Check Invoice Status", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "position": [1120, 300], "parameters": {"method": "GET", "url": "=https://api.stripe.com/v1/invoices/{{ $('Stripe Trigger').item.json.data.object.id }}", "authentication": "genericCredentialType", "genericAuthType": "httpHeaderAuth", "options": {}}}, {"name": "Still Unpaid?", "type": "n8n-nodes-base.if", "typeVersion": 2, "position": [1340, 300], "parameters": {"conditions": {"options": {"caseSensitive": true, "leftValue": "", "typeValidation": "strict"}, "conditions": [{"id": "8b786438-5d28-5a70-8cfc-c7fddbf19e56", "leftValue": "={{ $json.status }}", "rightValue": "open", "operator": {"type": "string", "operation": "equals"}}], "combinator": "and"}, "options": {}}}, {"name": "Notify #billing", "type": "n8n-nodes-base.slack", "typeVersion": 2.2, "position": [1560, 300], "parameters": {"authentication": "oAuth2", "resource": "message", "operation": "post", "select": "channel", "channelId": {"__rl": true, "value": "#billing", "mode": "name"}, "text": "=:warning: {{ $('Get Customer').item.json.email }} still hasn't paid invoice {{ $json.number }} ({{ $json.amount_due / 100 }} {{ $json.currency }})", "otherOptions": {}}}, {"name": "Create HubSpot Task", "type": "n8n-nodes-base.hubspot", "typeVersion": 2.1, "position": [1780, 300], "parameters": {"authentication": "oAuth2", "resource": "engagement", "operation": "create", "type": "task", "metadata": {"subject": "=Dunning: call {{ $('Get Customer').item.json.email }}", "status": "NOT_STARTED", "body": "Invoice still unpaid after reminder."}, "additionalFields": {}}}], "connections": {"Stripe Trigger": {"main": [[{"node": "Get Customer", "type": "main", "index": 0}]]}, "Get Customer": {"main": [[{"node": "Send Reminder Email", "type": "main", "index": 0}]]}, "Send Reminder Email": {"main": [[{"node": "Wait", "type": "main", "index": 0}]]}, "Wait": {"main": [[{"node": "Check Invoice Status", "type": "main", "index": 0}]]}, "Check Invoice Status": {"main": [[{"node": "Still Unpaid?", "type": "main", "index": 0}]]}, "Still Unpaid?": {"main": [[{"node": "Notify #billing", "type": "main", "index": 0}]]}, "Notify #billing": {"main": [[{"node": "Create HubSpot Task", "type": "main", "index": 0}]]}}, "settings": {"executionOrder": "v1", "timezone": "UTC", "saveManualExecutions": true}},
    prod: {"nodes": [{"name": "Stripe Trigger", "type": "n8n-nodes-base.stripeTrigger", "typeVersion": 1, "position": [240, 300], "parameters": {"events": ["invoice.payment_failed"]}}, {"name": "Get Customer", "type": "n8n-nodes-base.stripe", "typeVersion": 1, "position": [460, 300], "parameters": {"resource": "customer", "operation": "get", "customerId": "={{ $json.data.object.customer }}"}}, {"name": "Send Reminder Email", "type": "n8n-nodes-base.gmail", "typeVersion": 2.1, "position": [680, 300], "parameters": {"sendTo": "={{ $json.email }}", "subject": "Your Acme payment didn't go through", "emailType": "html", "message": "=<p>Hi {{ $json.name }},</p><p>We couldn't charge your card for invoice {{ $('Stripe Trigger').item.json.data.object.number }}. Please update your payment method: <a href=\"{{ $('Stripe Trigger').item.json.data.object.hosted_invoice_url }}\">pay invoice</a>.</p>", "options": {}}}, {"name": "Wait", "type": "n8n-nodes-base.wait", "typeVersion": 1.1, "position": [900, 300], "parameters": {"amount": 2, "unit": "days"}}, {"name": "Check Invoice Status", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "position": [1120, 300], "parameters": {"method": "GET", "url": "=https://api.stripe.com/v1/invoices/{{ $('Stripe Trigger').item.json.data.object.id }}", "authentication": "genericCredentialType", "genericAuthType": "httpHeaderAuth", "options": {}}}, {"name": "Still Unpaid?", "type": "n8n-nodes-base.if", "typeVersion": 2, "position": [1340, 300], "parameters": {"conditions": {"options": {"caseSensitive": true, "leftValue": "", "typeValidation": "strict"}, "conditions": [{"id": "8b786438-5d28-5a70-8cfc-c7fddbf19e56", "leftValue": "={{ $json.status }}", "rightValue": "open", "operator": {"type": "string", "operation": "equals"}}], "combinator": "and"}, "options": {}}}, {"name": "Notify #billing", "type": "n8n-nodes-base.slack", "typeVersion": 2.2, "position": [1560, 300], "parameters": {"authentication": "oAuth2", "resource": "message", "operation": "post", "select": "channel", "channelId": {"__rl": true, "value": "#billing", "mode": "name"}, "text": "=:warning: {{ $('Get Customer').item.json.email }} still hasn't paid invoice {{ $json.number }} ({{ $json.amount_due / 100 }} {{ $json.currency }})", "otherOptions": {}}}], "connections": {"Stripe Trigger": {"main": [[{"node": "Get Customer", "type": "main", "index": 0}]]}, "Get Customer": {"main": [[{"node": "Send Reminder Email", "type": "main", "index": 0}]]}, "Send Reminder Email": {"main": [[{"node": "Wait", "type": "main", "index": 0}]]}, "Wait": {"main": [[{"node": "Check Invoice Status", "type": "main", "index": 0}]]}, "Check Invoice Status": {"main": [[{"node": "Still Unpaid?", "type": "main", "index": 0}]]}, "Still Unpaid?": {"main": [[{"node": "Notify #billing", "type": "main", "index": 0}]]}}, "settings": {"executionOrder": "v1", "timezone": "UTC", "saveManualExecutions": true}},
  },
  "Post new blog articles to X": {
    dev: {"nodes": [{"name": "RSS Feed Trigger", "type": "n8n-nodes-base.rssFeedReadTrigger", "typeVersion": 1, "position": [240, 300], "parameters": {"pollTimes": {"item": [{"mode": "everyHour"}]}, "feedUrl": "https://blog.acme.test/rss.xml"}}, {"name": "Build Tweet", "type": "n8n-nodes-base.code", "typeVersion": 2, "position": [460, 300], "parameters": {"jsCode": "const title = $json.title.length > 200 ? $json.title.slice(0, 197) + '...' : $json.title;\nreturn [{ json: { text: `${title} ${$json.link}` } }];"}}, {"name": "Post to X", "type": "n8n-nodes-base.twitter", "typeVersion": 2, "position": [680, 300], "parameters": {"text": "={{ $json.text }}", "additionalFields": {}}}], "connections": {"RSS Feed Trigger": {"main": [[{"node": "Build Tweet", "type": "main", "index": 0}]]}, "Build Tweet": {"main": [[{"node": "Post to X", "type": "main", "index": 0}]]}}, "settings": {"executionOrder": "v1", "timezone": "UTC", "saveManualExecutions": true}},
    prod: null,
  },
};

/** Reference rows that differ, keyed like the findings: `table/key`. */
export const REFERENCE_ROWS: Record<string, { dev: unknown; prod: unknown }> = {
  "roles/manager": {
    dev: {"id": 3, "name": "manager", "description": "Manage workflows and view team reports", "permissions": ["members:read", "integrations:read", "workflows:manage", "reports:read"], "is_system_role": 1},
    prod: null,
  },
  "notification_templates/team_invitation": {
    dev: {"id": 4, "type": "team_invitation", "subject": "{{inviter_name}} invited you to join {{team_name}} on Acme", "body_html": "<p>{{inviter_name}} invited you to join <strong>{{team_name}}</strong> as {{role_name}}.</p><p><a href=\"{{action_url}}\" style=\"display:inline-block;padding:10px 18px;background:#4f46e5;color:#ffffff;border-radius:6px;text-decoration:none\">Accept invitation</a></p><p>This invitation expires in 7 days.</p>", "created_at": "2026-11-05T13:20:00Z"},
    prod: null,
  },
  "notification_templates/welcome_email": {
    dev: {"id": 1, "type": "welcome_email", "subject": "Welcome to Acme, {{first_name}}!", "body_html": "<h1>Welcome aboard, {{first_name}}</h1><p>Your Acme workspace is ready. Connect your first integration and build a workflow in minutes.</p><p><a href=\"{{action_url}}\" style=\"display:inline-block;padding:10px 18px;background:#4f46e5;color:#ffffff;border-radius:6px;text-decoration:none\">Open Acme</a></p>", "created_at": "2026-09-19T11:05:00Z"},
    prod: {"id": 1, "type": "welcome_email", "subject": "Welcome to Acme!", "body_html": "<h1>Welcome aboard, {{first_name}}</h1><p>Your Acme workspace is ready. Connect your first integration and build a workflow in minutes.</p><p><a href=\"{{action_url}}\" style=\"display:inline-block;padding:10px 18px;background:#4f46e5;color:#ffffff;border-radius:6px;text-decoration:none\">Open Acme</a></p>", "created_at": "2026-09-19T11:05:00Z"},
  },
};
