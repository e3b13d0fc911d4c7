import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bidUploads } from "~/bid-upload.server.ts";

// tus 1.0 HEAD (resume offset) and PATCH (append bytes at the offset) for one upload.
export const loader = ({ request }: LoaderFunctionArgs) => bidUploads().handleWeb(request);
export const action = ({ request }: ActionFunctionArgs) => bidUploads().handleWeb(request);
