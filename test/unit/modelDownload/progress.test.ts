import assert from 'node:assert/strict';
import { ProgressMeter, type DownloadProgress } from '../../../src/server/services/modelDownload/progress';
import { seededRandom } from '../../support/random';

describe('download progress (services/modelDownload/progress)', () => {
  it('measures recent speed and time left, at generated steady rates', () => {
    const random = seededRandom(7);
    for (let run = 0; run < 20; run++) {
      const rate = 1_000 + Math.floor(random() * 50_000_000); // bytes per second
      const total = rate * 100;
      let now = 0;
      const reports: DownloadProgress[] = [];
      const meter = new ProgressMeter(total, (progress) => reports.push(progress), 0, () => now);
      const start = Math.floor(total / 3); // resumed: bytes on disk are not speed
      for (let second = 0; second <= 20; second++) {
        now = second * 1000;
        meter.report('downloading', start + rate * second);
      }
      const last = reports.at(-1);
      assert.ok(last, 'reported');
      assert.ok(Math.abs(last.bytesPerSecond - rate) <= rate * 0.01, `rate ${rate}: measured ${last.bytesPerSecond}`);
      const left = (total - last.receivedBytes) / rate;
      assert.ok(last.secondsLeft !== undefined && Math.abs(last.secondsLeft - left) <= 1, `rate ${rate}: ${last.secondsLeft} s left, expected ${left}`);
    }
  });

  it('follows a change of speed within the window', () => {
    let now = 0;
    const reports: DownloadProgress[] = [];
    const meter = new ProgressMeter(1e12, (progress) => reports.push(progress), 0, () => now);
    let bytes = 0;
    for (let second = 0; second < 60; second++) {
      now = second * 1000;
      bytes += second < 30 ? 10_000_000 : 1_000_000;
      meter.report('downloading', bytes);
    }
    assert.ok(Math.abs((reports.at(-1)?.bytesPerSecond ?? 0) - 1_000_000) < 10_000);
  });

  it('sends no speed and no time left before it can measure, nor outside downloading', () => {
    let now = 0;
    const reports: DownloadProgress[] = [];
    const meter = new ProgressMeter(1000, (progress) => reports.push(progress), 0, () => now);
    meter.report('checking', 0);
    meter.report('downloading', 10);
    now = 50;
    meter.report('downloading', 20);
    meter.report('verifying', 1000);
    assert.ok(reports.every((report) => report.bytesPerSecond === 0 && report.secondsLeft === undefined));
  });
});
