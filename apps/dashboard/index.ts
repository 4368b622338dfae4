import path from "node:path";
import { packageRoot } from "@flashsale/config";

/** The folder of the dashboard's browser code (HTML, scripts, styles), served as it is by the API under /dashboard. */
export const DASHBOARD_ASSETS = path.join(packageRoot(import.meta.url), "public");
