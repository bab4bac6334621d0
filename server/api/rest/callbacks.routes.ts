// POST /callbacks/<token>: a third party resumes a waiting run through the signed URL a step handed it
// (`callbacks.<eventNodeId>.url`, server/callbacks/). No API token: the signature is the credential.
// The JSON body (or none) becomes the event's data; answers 202, or names why the URL is refused.
import type { FastifyInstance } from 'fastify';
import type { CallbacksService } from '../../callbacks/callbacks.service.js';

export function callbacksRoutes(app: FastifyInstance, callbacks: CallbacksService): void {
  app.post<{ Params: { token: string } }>('/callbacks/:token', async (request, reply) => {
    const delivered = await callbacks.deliver(request.params.token, request.body ?? null);
    return reply.code(202).send({ accepted: true, signalId: delivered.signalId });
  });
}
