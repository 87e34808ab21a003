/**
 * One pass over an outgoing text finds every place where any rule could
 * match: the fixed prefixes of secretlint's rules, the markers of Tandem's
 * own rules (`eyJ`, `AIza`, `AccountKey=`, `Q~`, `://` …) and secret-like
 * words (`password`, `token`, `key` …). Each rule then looks only there.
 * One regular expression of literals, case-insensitive, is the cheapest scan
 * V8 offers over a megabyte (about 8 ms on this project's source; a search
 * per literal costs four times that on a two-byte string); the rules check
 * the exact case themselves.
 */

/**
 * Where a secretlint preset rule could match: every pattern of the preset
 * starts with (or contains) one of these, in this case. A rule in a new
 * secretlint without one here is caught by the pre-filter equivalence test.
 */
export const SECRETLINT_ANCHORS = [
  'A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA',
  '(?:SECRET|[Ss]ecret)_?(?:ACCESS|[Aa]ccess)_?(?:KEY|[Kk]ey)',
  '-----BEGIN',
  '_authToken=|npm_|x-oauth-basic',
  '://',
  'xox[bpaor]-|xapp-',
  'SG\\.',
  'shp(?:pa|ca|at|ss)_',
  '[sr]k_(?:live|test)_',
  'gh[pousr]_|github_pat_',
  'glpat-|glc_|glsa_',
  'T3BlbkFJ|sk-ant-api',
  'gsk_|hf_|lin_api_|ntn_|ops_ey',
  'hv[sbr]\\.',
  'vc[pciark]_',
  'dapi',
  'dckr_pat_|figd_',
  'cf(?:k|ut|at)_',
  'tskey-',
].join('|');

/** Markers of the own rules (ownRules.ts), each checked in its exact case there. */
const OWN_ANCHORS = 'eyJ|AIza|AccountKey=|SharedAccessKey=|sig=|Q~';

/** Words that make a name secret-like (any case): the generic rule and ADO.NET passwords start here. */
const NAME_ANCHORS = 'secret|passw|pwd|token|key|credential|bearer';

const ALL = new RegExp(`${SECRETLINT_ANCHORS}|${OWN_ANCHORS}|${NAME_ANCHORS}`, 'gi');
const SECRETLINT_AT = new RegExp(SECRETLINT_ANCHORS, 'y');

export interface Anchor {
  at: number;
  /** The text matched (in the text's own case). */
  match: string;
  /** Whether a secretlint rule could start here (its prefix in the exact case). */
  secretlint: boolean;
}

export function findAnchors(text: string): Anchor[] {
  const anchors: Anchor[] = [];
  ALL.lastIndex = 0;
  for (let found = ALL.exec(text); found !== null; found = ALL.exec(text)) anchors.push(anchorAt(text, found));
  return anchors;
}

/** The same, giving the event loop a turn when `due()` says so (checked every few hundred anchors). */
export async function findAnchorsSliced(text: string, slice: { due(): boolean; handBack(): Promise<void> }): Promise<Anchor[]> {
  const anchors: Anchor[] = [];
  // Its own expression: `lastIndex` is state, and another scan may run while this one waits.
  const all = new RegExp(ALL.source, ALL.flags);
  for (let found = all.exec(text); found !== null; found = all.exec(text)) {
    anchors.push(anchorAt(text, found));
    if ((anchors.length & 255) === 0 && slice.due()) await slice.handBack();
  }
  return anchors;
}

function anchorAt(text: string, found: RegExpExecArray): Anchor {
  SECRETLINT_AT.lastIndex = found.index;
  return { at: found.index, match: found[0], secretlint: SECRETLINT_AT.test(text) };
}

/**
 * The first `-----END` at or after `from` and no further than `limit`
 * characters, or -1. Found once per text and then by binary search: a text
 * of a thousand BEGIN lines and no END must not cost a search to its end
 * for each of them.
 */
export class PemEnds {
  private ends: number[] | undefined;

  constructor(private readonly text: string) {}

  next(from: number, limit: number): number {
    this.ends ??= this.collect();
    let low = 0;
    let high = this.ends.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.ends[mid] ?? 0) < from) low = mid + 1;
      else high = mid;
    }
    const end = this.ends[low];
    return end !== undefined && end - from <= limit ? end : -1;
  }

  private collect(): number[] {
    const ends: number[] = [];
    for (let at = this.text.indexOf('-----END'); at >= 0; at = this.text.indexOf('-----END', at + 8)) ends.push(at);
    return ends;
  }
}
