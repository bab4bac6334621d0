// The telemetry benchmark's OTLP/HTTP receiver, in a process of its own (as a collector would be),
// so decoding the exported spans does not take the measured process's CPU. It sends its endpoint
// once listening, answers each 'count' message with the spans received, and exits on 'stop'.
import { startOtlpReceiver } from '../server/testing/otlp-receiver.js';

const receiver = await startOtlpReceiver();
process.send!({ endpoint: receiver.endpoint });
process.on('message', (message) => {
  if (message === 'count') process.send!({ spans: receiver.spans.length });
  else if (message === 'stop') void receiver.close().then(() => process.exit(0));
});
// The benchmark process went away (killed, or failed): nothing is left behind.
process.on('disconnect', () => process.exit(0));
