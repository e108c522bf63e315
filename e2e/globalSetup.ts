import { HAS_SHARED } from './helpers';

/** One line when the public datasets are not beside this clone: the browser tests that read them skip. */
export default function globalSetup() {
  if (!HAS_SHARED) console.log('../shared/data is not beside this clone: the browser tests that read its datasets are skipped (CI runs them all)');
}
