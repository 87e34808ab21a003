/** A secret found in a text: `text.slice(start, end)` is the value to replace; `kind` names its class (`github-token`). */
export interface Finding {
  start: number;
  end: number;
  kind: string;
}
