// Test kit: seed 000's four example workflow descriptions (shared/reference/000) and the answers a
// fake model gives for them — valid cairn.graph/v2 graphs a careful model would write, and for the
// order fulfilment one, two broken answers first (so describing it takes two repair turns).
import type { Graph, GraphEdge, GraphNode } from '../../shared/graph/graph.schema.js';

export const SEED_DESCRIPTIONS = {
  subscription: `When a subscription is created:
1. Send a welcome email immediately
2. Wait 7 days
3. Send a tips & tricks email
4. Wait until 3 days before trial ends
5. Send a trial ending reminder
6. Wait for trial to end
7. If not converted, send a winback email`,
  expense: `When an expense report is submitted:
1. Notify the manager
2. Wait for approval (timeout: 7 days)
3. If approved, process reimbursement
4. If rejected, notify employee
5. If timed out, escalate to director`,
  payment: `When a payment fails:
1. Wait 1 hour and retry
2. If still failing, wait 1 day and retry
3. If still failing, wait 3 days and retry
4. If still failing, suspend subscription and notify user`,
  order: `When an order is placed:
1. Reserve inventory
2. Charge payment
3. Wait for warehouse confirmation (up to 24 hours)
4. Send shipping notification
5. Wait for delivery confirmation
6. Send review request 3 days after delivery`,
} as const;

type Node = Omit<GraphNode, 'position'>;
const post = (id: string, label: string, url: string, body: unknown, extra: Record<string, unknown> = {}): Node => ({ id, kind: 'step', label, config: { action: 'http.request', input: { method: 'POST', url, body }, ...extra } });
const edge = (source: string, sourcePort: string, target: string): GraphEdge => ({ id: `${source}-${sourcePort}-${target}`, source, sourcePort, target });
const graph = (nodes: Node[], edges: GraphEdge[]): Graph => ({ format: 'cairn.graph/v2', nodes: nodes.map((node) => ({ ...node, position: { x: 0, y: 0 } })), edges });
const MAIL = 'https://mail.example.com/send';

export const subscriptionGraph = graph(
  [
    { id: 'start', kind: 'start', label: 'Subscription created', config: { inputSchema: { type: 'object', required: ['email', 'trialEndsAt'], properties: { email: { type: 'string' }, trialEndsAt: { type: 'string' } } } } },
    post('welcome', 'Send welcome email', MAIL, { to: '{{ input.email }}', template: 'welcome' }),
    { id: 'week', kind: 'wait', label: 'Wait 7 days', config: { duration: '7d' } },
    post('tips', 'Send tips & tricks', MAIL, { to: '{{ input.email }}', template: 'tips' }),
    { id: 'before_end', kind: 'wait', label: '3 days before trial ends', config: { until: '{{ $fromMillis($toMillis(input.trialEndsAt) - 3 * 86400000) }}' } },
    post('reminder', 'Send trial ending reminder', MAIL, { to: '{{ input.email }}', template: 'trial-ending' }),
    { id: 'trial_end', kind: 'wait', label: 'Trial ends', config: { until: '{{ input.trialEndsAt }}' } },
    { id: 'status', kind: 'step', label: 'Check conversion', config: { action: 'http.request', input: { method: 'GET', url: 'https://billing.example.com/subscriptions/status' } } },
    { id: 'converted', kind: 'branch', label: 'Converted?', config: { condition: '{{ nodes.status.body.converted = true }}' } },
    post('winback', 'Send winback email', MAIL, { to: '{{ input.email }}', template: 'winback' }),
    { id: 'done', kind: 'end', label: 'Done', config: {} },
  ],
  [edge('start', 'next', 'welcome'), edge('welcome', 'ok', 'week'), edge('week', 'next', 'tips'), edge('tips', 'ok', 'before_end'), edge('before_end', 'next', 'reminder'), edge('reminder', 'ok', 'trial_end'), edge('trial_end', 'next', 'status'), edge('status', 'ok', 'converted'), edge('converted', 'true', 'done'), edge('converted', 'false', 'winback'), edge('winback', 'ok', 'done')],
);

export const expenseGraph = graph(
  [
    { id: 'start', kind: 'start', label: 'Expense submitted', config: { inputSchema: { type: 'object', required: ['amount', 'employee'], properties: { amount: { type: 'number' }, employee: { type: 'string' } } } } },
    post('notify_manager', 'Notify the manager', MAIL, { to: 'manager', text: 'Expense of {{ input.amount }} to review' }),
    { id: 'approval', kind: 'approval', label: 'Manager approval', config: { title: 'Approve {{ input.amount }} for {{ input.employee }}?', assignees: { roles: ['manager'] }, timeout: '7d' } },
    post('reimburse', 'Process reimbursement', 'https://payroll.example.com/reimburse', { employee: '{{ input.employee }}', amount: '{{ input.amount }}' }),
    post('notify_employee', 'Notify employee', MAIL, { to: '{{ input.employee }}', text: 'Your expense was rejected' }),
    { id: 'escalate', kind: 'approval', label: 'Escalate to director', config: { title: 'Overdue: approve {{ input.amount }} for {{ input.employee }}?', assignees: { roles: ['director'] } } },
    { id: 'done', kind: 'end', label: 'Done', config: {} },
  ],
  [edge('start', 'next', 'notify_manager'), edge('notify_manager', 'ok', 'approval'), edge('approval', 'approved', 'reimburse'), edge('approval', 'rejected', 'notify_employee'), edge('approval', 'timeout', 'escalate'), edge('escalate', 'approved', 'reimburse'), edge('escalate', 'rejected', 'notify_employee'), edge('reimburse', 'ok', 'done'), edge('notify_employee', 'ok', 'done')],
);

export const paymentGraph = graph(
  [
    { id: 'start', kind: 'start', label: 'Payment failed', config: {} },
    post('charge', 'Retry the payment', 'https://billing.example.com/charge', { subscription: '{{ input.subscriptionId }}' }, { retry: { delays: ['1h', '1d', '3d'] } }),
    post('suspend', 'Suspend subscription', 'https://billing.example.com/suspend', { subscription: '{{ input.subscriptionId }}' }),
    post('notify_user', 'Notify user', MAIL, { to: '{{ input.email }}', template: 'suspended' }),
    { id: 'paid', kind: 'end', label: 'Paid', config: {} },
    { id: 'suspended', kind: 'end', label: 'Suspended', config: {} },
  ],
  [edge('start', 'next', 'charge'), edge('charge', 'ok', 'paid'), edge('charge', 'error', 'suspend'), edge('suspend', 'ok', 'notify_user'), edge('notify_user', 'ok', 'suspended')],
);

export const orderGraph = graph(
  [
    { id: 'start', kind: 'start', label: 'Order placed', config: {} },
    post('reserve', 'Reserve inventory', 'https://warehouse.example.com/reserve', { order: '{{ input.orderId }}' }),
    post('charge', 'Charge payment', 'https://billing.example.com/charge', { order: '{{ input.orderId }}' }),
    { id: 'warehouse', kind: 'event', label: 'Warehouse confirmation', config: { event: 'warehouse_confirmed', timeout: '24h' } },
    post('shipping', 'Send shipping notification', MAIL, { order: '{{ input.orderId }}', template: 'shipped' }),
    { id: 'delivered', kind: 'event', label: 'Delivery confirmation', config: { event: 'delivered' } },
    { id: 'after_delivery', kind: 'wait', label: 'Wait 3 days', config: { duration: '3d' } },
    post('review', 'Send review request', MAIL, { order: '{{ input.orderId }}', template: 'review' }),
    { id: 'done', kind: 'end', label: 'Done', config: {} },
  ],
  [edge('start', 'next', 'reserve'), edge('reserve', 'ok', 'charge'), edge('charge', 'ok', 'warehouse'), edge('warehouse', 'received', 'shipping'), edge('shipping', 'ok', 'delivered'), edge('delivered', 'received', 'after_delivery'), edge('after_delivery', 'next', 'review'), edge('review', 'ok', 'done')],
);

/** The order graph as a model first gets it wrong: made-up actions and a port steps do not have. */
export const orderFirstTry = {
  ...orderGraph,
  nodes: orderGraph.nodes.map((node) => (node.id === 'reserve' ? { ...node, config: { action: 'inventory.reserve', input: {} } } : node)),
  edges: orderGraph.edges.map((item) => (item.source === 'charge' ? { ...item, sourcePort: 'success' } : item)),
};
/** Then the action right, but a time-out no duration parser reads. */
export const orderSecondTry = { ...orderGraph, nodes: orderGraph.nodes.map((node) => (node.id === 'warehouse' ? { ...node, config: { event: 'warehouse_confirmed', timeout: '24 hours' } } : node)) };

export const SEED_GRAPHS = { subscription: subscriptionGraph, expense: expenseGraph, payment: paymentGraph, order: orderGraph } as const;
