/**
 * Which format a model answer is in. Checked in this order, since the later
 * formats are the more permissive: apply_patch markers, SEARCH/REPLACE
 * markers, unified diff headers; anything else that is not blank is a code
 * block (fenced or bare). Mangled apply_patch and SEARCH/REPLACE markers
 * count, so such an answer is refused with the reason rather than taken for
 * code. A unified diff whose hunk lines show SEARCH/REPLACE markers (a diff
 * of a document about them) stays a diff.
 */
import type { EditFormat } from '../../shared/edits';
import { looksLikeApplyPatch } from './parseApplyPatch';
import { looksLikeSearchReplace } from './parseSearchReplace';
import { looksLikeUnifiedDiff } from './parseUnifiedDiff';

/** The format of `text`, or undefined when it is blank. */
export function detectFormat(text: string): EditFormat | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  if (looksLikeApplyPatch(text)) {
    return 'applyPatch';
  }
  if (looksLikeSearchReplace(text)) {
    const outsideHunkLines = text
      .split(/\r\n|\n|\r/)
      .filter((line) => !/^[ +-]/.test(line))
      .join('\n');
    return looksLikeUnifiedDiff(text) && !looksLikeSearchReplace(outsideHunkLines) ? 'unifiedDiff' : 'searchReplace';
  }
  if (looksLikeUnifiedDiff(text)) {
    return 'unifiedDiff';
  }
  return 'codeBlock';
}
