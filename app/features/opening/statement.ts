/** The text a bidder signs to sign in (签到): bound to this tender, this bid and the server's fresh challenge. */
export function signInStatementText(tenderId: string, openingBidId: string, challenge: string): string {
  return `MINGBIAO-OPENING-SIGNIN|${tenderId}|${openingBidId}|${challenge}`;
}
