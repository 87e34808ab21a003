import * as os from 'node:os';
import { builtInOfferLabel, catalogue, modelForMemory } from '../../shared/embeddedCatalogue';
import type { ErrorOffer } from '../../shared/protocol';

/**
 * What a "no model is configured" error offers besides an API key: the
 * built-in model this machine would download, with its size in the label.
 * Spread into the error; nothing when the catalogue cannot be read (a
 * malformed test override).
 */
export function builtInModelOffer(env: NodeJS.ProcessEnv = process.env, totalMemory: number = os.totalmem()): { offer?: ErrorOffer } {
  try {
    return { offer: { action: 'useBuiltInModel', label: builtInOfferLabel(modelForMemory(totalMemory, catalogue(env))) } };
  } catch {
    return {};
  }
}
