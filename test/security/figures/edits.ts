/**
 * The edit figure for `npm run bench:security`: the mutation corpus
 * (test/fixtures/edits/mutations.json) run through the edit engine. Goal:
 * appliedWrongly 0 and markerLinesWritten 0; every case either applies
 * exactly as intended or is refused with a reason.
 */
import { mutationFigures, type MutationFigures } from '../../unit/edits/mutations/corpus';

export function editMutationFigures(): MutationFigures {
  return mutationFigures();
}
