// Imported first by cli/main.ts: the services read the environment once, some while
// they load (the logger), so the settings `npm start` left in .data/env must be in
// process.env before any of them is imported.
import { loadLocalEnv } from "./local-env";

/** The .data/env file the connection settings came from, when DATABASE_URL was unset. */
export const localEnv = loadLocalEnv();
