import { errorMessage, isRecord } from '../shared/guards';
import { CONFIG_SECTION } from '../shared/protocol';
import type { ServiceLog } from './log';
import { resolveSettings, type ResolvedSettings } from './settings';

/** What the store needs from the connection: `connection.workspace.getConfiguration`. */
export type PullConfiguration = (section: string) => Promise<unknown>;

/**
 * The effective settings. With a client that answers workspace/configuration
 * they are pulled from it (and pulled again on every didChangeConfiguration);
 * otherwise they come from initializationOptions / didChangeConfiguration
 * payloads (`{tandem: {...}}`). The environment fills every gap.
 */
export class SettingsStore {
  private current: Promise<ResolvedSettings> | undefined;
  private pushed: unknown;
  private generation = 0;

  constructor(
    private readonly pull: PullConfiguration | undefined,
    private readonly log: ServiceLog,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Settings pushed by a client that cannot be asked (initializationOptions or didChangeConfiguration). */
  setPushed(value: unknown): void {
    const section = isRecord(value) ? value[CONFIG_SECTION] : undefined;
    if (isRecord(section)) {
      this.pushed = section;
    }
  }

  /** The settings, pulled once and reused until the next `refresh()`. */
  get(): Promise<ResolvedSettings> {
    this.current ??= this.load();
    return this.current;
  }

  /**
   * Pulls again. Resolves to the settings and whether they are still the
   * newest (a later refresh may have overtaken this one).
   */
  async refresh(): Promise<{ resolved: ResolvedSettings; latest: boolean }> {
    const generation = ++this.generation;
    this.current = this.load();
    const resolved = await this.current;
    return { resolved, latest: generation === this.generation };
  }

  private async load(): Promise<ResolvedSettings> {
    if (!this.pull) {
      return resolveSettings(this.pushed, this.env);
    }
    try {
      return resolveSettings(await this.pull(CONFIG_SECTION), this.env);
    } catch (error) {
      this.log.warn(`Could not read the client's settings (${errorMessage(error)}); using the environment.`);
      return resolveSettings(undefined, this.env);
    }
  }
}
