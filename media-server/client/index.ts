// Browser-safe entry of media-server: what the app's witness pages import.
export { publishDevice, type DeviceKind, type PublishOptions, type PublishState, type Publication } from "./publish-device.ts";
export {
  subscribeRooms,
  type RemoteTrack,
  type SubscribeOptions,
  type SubscribeState,
  type Subscription,
} from "./subscribe-rooms.ts";
