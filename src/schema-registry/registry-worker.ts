/** Worker thread behind the synchronous registry calls (schemas are looked up while a query is defined or a row decoded). */
import { runAsWorker } from "synckit";
import { registryRequest, type RegistryConnection, type RegistryRequest, type RegistryResult } from "./registry-client.js";

runAsWorker(async (conn: RegistryConnection, req: RegistryRequest): Promise<RegistryResult> => registryRequest(conn, req));
