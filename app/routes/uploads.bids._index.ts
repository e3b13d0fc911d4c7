import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bidUploads } from "~/bid-upload.server.ts";

// tus 1.0 creation endpoint (POST) for sealed bid envelopes; see app/bid-upload.server.ts.
export const loader = ({ request }: LoaderFunctionArgs) => bidUploads().handleWeb(request);
export const action = ({ request }: ActionFunctionArgs) => bidUploads().handleWeb(request);
