package steps

import (
	"errors"
	"fmt"
	"net/url"
)

// Callback is what the realm sent back to the redirect URI: a code and the
// state on success, or an error (RFC 6749 §4.1.2 and §4.1.2.1). URL is the
// whole redirected URL as it arrived.
type Callback struct {
	Code             string `json:"code,omitempty"`
	State            string `json:"state,omitempty"`
	SessionState     string `json:"session_state,omitempty"`
	Error            string `json:"error,omitempty"`
	ErrorDescription string `json:"error_description,omitempty"`
	URL              string `json:"url,omitempty"`
}

// Errors of the redirect back from the realm.
var (
	// ErrStateMismatch means the redirect's state is not the one this login
	// sent (RFC 6749 §10.12: a possible cross-site request forgery).
	ErrStateMismatch = errors.New("the state in the redirect does not match this login's")
	// ErrNoCode means the redirect carries neither a code nor an error.
	ErrNoCode = errors.New("the redirected URL carries no code")
	// ErrLoginTimeout means no redirect arrived before the login deadline.
	ErrLoginTimeout = errors.New("no sign-in arrived before the login timeout")
)

// CallbackError is an error= redirect from the authorization endpoint (RFC
// 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6).
type CallbackError struct {
	Code        string
	Description string
}

func (e *CallbackError) Error() string {
	if e.Description != "" {
		return fmt.Sprintf("the realm redirected back with error %s: %s", e.Code, e.Description)
	}
	return "the realm redirected back with error " + e.Code
}

// callbackFrom reads a Callback from a redirected URL's query, or from its
// fragment when the query has nothing (response_mode=fragment).
func callbackFrom(u *url.URL) Callback {
	q := u.Query()
	if q.Get("code") == "" && q.Get("error") == "" && u.Fragment != "" {
		if fq, err := url.ParseQuery(u.Fragment); err == nil {
			q = fq
		}
	}
	return Callback{
		Code:             q.Get("code"),
		State:            q.Get("state"),
		SessionState:     q.Get("session_state"),
		Error:            q.Get("error"),
		ErrorDescription: q.Get("error_description"),
		URL:              u.String(),
	}
}

// CheckCallback validates a redirect against the state this login sent:
// the state first (a mismatch is refused whatever else the redirect says),
// then an error= answer, then the presence of a code. Each failure carries
// its hint. See https://datatracker.ietf.org/doc/html/rfc6749#section-10.12.
func CheckCallback(cb Callback, expectedState string) error {
	if expectedState != "" && cb.State != expectedState {
		err := fmt.Errorf("steps: callback: %w (got %q)", ErrStateMismatch, cb.State)
		if cb.State == "" {
			return WithHint(err,
				"The redirect carries no state, so it cannot be tied to the login this client started (RFC 6749 §10.12).",
				"Start the login again from the authorise step and complete it in the browser it opens.")
		}
		return WithHint(err,
			"The state in the redirect is not the one this login sent: a stale browser tab or a replayed link.",
			"Start the login again.")
	}
	if cb.Error != "" {
		return callbackErrorHint(&CallbackError{Code: cb.Error, Description: cb.ErrorDescription})
	}
	if cb.Code == "" {
		return WithHint(fmt.Errorf("steps: callback: %w", ErrNoCode),
			"The URL has neither a code nor an error parameter: it is not the address the realm redirected to.",
			"Copy the whole address from the browser's address bar after signing in (it starts with the redirect URI and holds code= and state=).")
	}
	return nil
}

// callbackErrorHint explains an error= redirect by its code.
func callbackErrorHint(ce *CallbackError) error {
	err := fmt.Errorf("steps: callback: %w", ce)
	cause, fix := "", "Start the login again from the authorise step."
	switch ce.Code {
	case "access_denied":
		cause = "The sign-in was refused: the user cancelled, or the realm would not let this user use this client."
		fix = "Start the login again and sign in as one of the realm's test users (listed on the sign-in page)."
	case "invalid_request":
		cause = "The realm found the authorise request malformed: a parameter is missing, repeated or invalid."
		fix = "Check the authorise URL's parameters (redirect_uri, scope, code_challenge) as the authorise step shows them, then start again."
	case "unauthorized_client":
		cause = "This client may not use the authorization code flow at this realm."
		fix = "Check the client_id comes from mock-jwks for this realm (the cis2 client for CIS2, nhs-login for NHS login)."
	case "unsupported_response_type":
		cause = "The realm does not support this response_type; OpenID Connect's code flow needs response_type=code."
		fix = "Use response_type=code."
	case "invalid_scope":
		cause = "The realm does not know one of the requested scopes."
		fix = "Ask for openid profile (and nationalrbacaccess for CIS2)."
	case "login_required", "interaction_required", "consent_required", "account_selection_required":
		cause = "The realm needs the user to interact (sign in, consent or choose an account), but the request forbade it (prompt=none)."
		fix = "Start the login again without prompt=none."
	case "server_error", "temporarily_unavailable":
		cause = "The realm failed on its side or is overloaded; the request is probably not the cause."
		fix = "Wait a minute, then start the login again."
	default:
		cause = "The realm refused the sign-in with " + ce.Code + "."
	}
	return WithHint(err, cause, fix)
}
