import { measureUserSteps } from '/work/main/bench/users.ts';
const s = await measureUserSteps('full', { rounds: 5 });
const cpu = s.rounds.map(r => r.cpuMicrosPerStep).sort((a, b) => a - b);
const sps = s.rounds.map(r => r.stepsPerSec).sort((a, b) => b - a);
console.log('cpu min/med', cpu[0].toFixed(1), cpu[2].toFixed(1), 'steps/s max/med', sps[0].toFixed(0), sps[2].toFixed(0), 'rss', (s.peakRss / 1e6).toFixed(0));
