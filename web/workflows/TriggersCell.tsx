// A workflow's triggers in its row of the workflows list: each webhook and each schedule (with its
// next fire time), from one overview query the whole table shares.
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../app/trpc.js';
import { zonedTime } from '../ui/zoned-time.js';

export function TriggersCell({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.triggers.overview.queryOptions(), staleTime: 30_000 });
  const triggers = overview.data?.[slug] ?? [];
  if (triggers.length === 0) return <span className="cairn-muted">—</span>;
  return (
    <ul className="cairn-table__triggers" data-testid={`triggers-${slug}`}>
      {triggers.map((trigger) =>
        trigger.kind === 'webhook' ? (
          <li key={trigger.id} title={`POST ${trigger.path}`}>
            <span className="cairn-badge">Webhook</span>
            {!trigger.enabled && <span className="cairn-muted"> off</span>}
          </li>
        ) : (
          <li key={trigger.id}>
            <span className="cairn-badge">Schedule</span> <code>{trigger.cron}</code>
            <span className="cairn-muted cairn-table__trigger-next">
              {trigger.enabled && trigger.nextFireTimes?.[0] ? `next ${zonedTime(trigger.nextFireTimes[0], trigger.timezone ?? 'UTC')} (${trigger.timezone})` : 'off'}
            </span>
          </li>
        ),
      )}
    </ul>
  );
}
