// tRPC for the Operations page (web/operations/): the sampled counters and gauges over time.
import { TRPCError } from '@trpc/server';
import { authed, router } from './trpc.js';

export const monitorRouter = router({
  overview: authed('runs:read').query(({ ctx }) => {
    if (!ctx.services.monitor) throw new TRPCError({ code: 'NOT_FOUND', message: 'this server was assembled without telemetry' });
    return ctx.services.monitor.overview();
  }),
});
