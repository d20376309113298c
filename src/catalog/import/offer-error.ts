/** A problem with an offer file or the catalog made from it: one line, no stack trace for users. */
export class OfferImportError extends Error {
  override name = "OfferImportError";
}

/** The download failed (HTTP status, timeout, network): the message already names the URL. */
export class OfferFetchError extends OfferImportError {
  override name = "OfferFetchError";
}

/** The Price List could not be reached or answered with an HTTP error (network, timeout, status): not the input's fault. */
export class OfferNetworkError extends OfferFetchError {
  override name = "OfferNetworkError";
}
