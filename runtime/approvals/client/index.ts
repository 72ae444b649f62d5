/** The admin-side client of the approval routes: HTTP client, text formats, live dashboard. */
export {
  type DashboardClient,
  type DashboardOptions,
  type DashboardView,
  renderDashboard,
  runDashboard,
} from "./dashboard.js";
export { formatDuration, formatList, formatRequest, formatStats, openLevelOf } from "./format.js";
export {
  ApprovalsApiError,
  ApprovalsClient,
  type ApprovalsClientOptions,
  type BatchAnswer,
  type BatchBody,
} from "./http.js";
