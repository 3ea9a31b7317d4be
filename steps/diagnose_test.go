package steps_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nhsauth/nhsauth/steps"
)

// arRows are the error rows of reference §2.6, §3.4, §3.5, §4 and §5.7,
// copied from the reference so that a typo in the table fails here.
var arRows = []struct {
	row, code, desc string
	want            string // a phrase the diagnosis must contain
}{
	{"2.6/1", "invalid_request", "Content-Type header must be application/x-www-form-urlencoded", "application/x-www-form-urlencoded"},
	{"2.6/2", "invalid_request", "grant_type is missing", "grant_type=client_credentials"},
	{"2.6/3", "unsupported_grant_type", "grant_type is invalid", "client_credentials"},
	{"2.6/4", "invalid_request", "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'", "jwt-bearer"},
	{"2.6/5", "invalid_request", "Missing client_assertion", "client_assertion"},
	{"2.6/6", "invalid_request", "Malformed JWT in client_assertion", "three base64url parts"},
	{"2.6/7", "invalid_request", "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'", "RS512"},
	{"2.6/8", "invalid_request", "Invalid 'exp' claim in client_assertion JWT - JWT has expired", "clock may be behind"},
	{"2.6/9", "invalid_request", "Missing 'kid' header in client_assertion JWT", "kid"},
	{"2.6/10", "invalid_request", "Invalid 'typ' header in client_assertion JWT - must be 'JWT'", "typ"},
	{"2.6/11", "invalid_request", "Missing 'exp' claim in client_assertion JWT", "exp"},
	{"2.6/12", "invalid_request", "Invalid 'exp' claim in client_assertion JWT - must be an integer", "integer"},
	{"2.6/13", "invalid_request", "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT", "API key"},
	{"2.6/14", "invalid_request", "Missing 'jti' claim in client_assertion JWT", "UUID"},
	{"2.6/15", "invalid_request", "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID", "string"},
	{"2.6/16", "invalid_request", "Non-unique 'jti' claim in client_assertion JWT", "fresh jti"},
	{"2.6/17", "invalid_request", "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future", "clock is ahead"},
	{"2.6/18", "invalid_request", "Invalid 'iss'/'sub' claims in client_assertion JWT", "does not know this API key"},
	{"2.6/19", "public_key error", "You need to register a public key to use this authentication method - please contact support to configure", "JWKS URL"},
	{"2.6/20", "public_key error", "The JWKS endpoint, for your client_assertion can't be reached", "could not fetch"},
	{"2.6/21", "invalid_request", "Missing or invalid 'aud' claim in client_assertion JWT", "aud must be exactly the token URL you called"},
	{"2.6/22", "invalid_request", "Invalid 'kid' header in client_assertion JWT - no matching public key", "1 hour"},
	{"2.6/23", "public_key error", "JWT signature verification failed", "different key"},
	{"2.6/24", "unauthorized_client", "you have tried to request authorization but your application is not configured to use this authorization grant type", "app-level3"},
	{"2.6/404", "invalid_request", "Not Found", "path"},
	{"2.6/not approved", "access_denied", "The developer app associated with the API key is not approved or revoked", "approved"},
	{"2.6/no access", "access_denied", "API Key supplied does not have access to this resource. Please check the API Key you are using belongs to an app which has sufficient access to access this resource.", "product"},
	{"2.6/500", "unknown_error", "An unknown error occurred processing this request. Contact us for assistance diagnosing this issue: https://digital.nhs.uk/developer/help-and-support quoting Message ID", "message_id"},
	{"3.4/subject_token_type", "invalid_request", "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'", "token-type:id_token"},
	{"3.4/grant_type", "invalid_request", "grant_type is invalid", "token-exchange"},
	{"3.4/missing subject", "invalid_request", "Missing subject_token", "id_token"},
	{"3.4/malformed subject", "invalid_request", "Malformed JWT in subject_token", "ID token"},
	{"3.4/kid", "invalid_request", "Missing 'kid' header in subject_token JWT", "kid"},
	{"3.4/typ", "invalid_request", "Invalid 'typ' header in subject_token JWT - must be 'JWT'", "typ"},
	{"3.4/alg", "invalid_request", "Missing 'alg' header in subject_token JWT", "alg"},
	{"3.4/exp missing", "invalid_request", "Missing 'exp' claim in subject_token JWT", "exp"},
	{"3.4/exp integer", "invalid_request", "Invalid 'exp' claim in subject_token JWT - must be an integer", "number"},
	{"3.4/expired", "invalid_request", "Invalid 'exp' claim in subject_token JWT - JWT has expired", "1 hour"},
	{"3.4/iss missing", "invalid_request", "Missing 'iss' claim in subject_token JWT", "iss"},
	{"3.4/aud missing", "invalid_request", "Missing 'aud' claim in subject_token JWT", "aud"},
	{"3.4/iss", "invalid_request", "Missing or non-matching 'iss' claim in subject_token JWT", "/oauth2-mock/token"},
	{"3.4/subject kid", "invalid_request", "Invalid 'kid' header in subject_token JWT - no matching public key", "published keys"},
	{"3.5/secret missing", "invalid_request", "client_secret is missing", "--api-secret"},
	{"3.5/bad secret", "invalid_client", "client_id or client_secret is invalid", "developer portal"},
	{"3.5/client_id missing", "invalid_request", "client_id is missing", "client_id"},
	{"3.5/refresh missing", "invalid_request", "refresh_token is missing", "refresh_token"},
	{"3.5/refresh invalid", "invalid_grant", "refresh_token is invalid", "already used"},
	{"3.5/refresh expired", "invalid_grant", "refresh token refresh period has expired", "12 h"},
	{"4.1/client_id invalid", "invalid_request", "client_id is invalid", "API key"},
	{"4.1/redirect missing", "invalid_request", "redirect_uri is missing", "redirect_uri"},
	{"4.1/redirect invalid", "invalid_request", "redirect_uri is invalid", "registered"},
	{"4.1/state", "invalid_request", "state is missing", "state"},
	{"4.1/response_type missing", "invalid_request", "response_type is missing", "response_type=code"},
	{"4.1/response_type invalid", "unsupported_response_type", "response_type is invalid", "response_type=code"},
	{"4.2/state", "invalid_request", "Invalid state parameter.", "state"},
	{"4.3/code missing", "invalid_request", "authorization_code is missing", "code"},
	{"4.3/code invalid", "invalid_grant", "authorization_code is invalid", "single use"},
	{"4.5/userinfo", "invalid_request", "The Userinfo endpoint is only supported for Combined Auth integrations. Currently this is only for NHS CIS2 authentications - for more guidance see https://digital.nhs.uk/developer/guides-and-documentation/security-and-authorisation/user-restricted-restful-apis-nhs-cis2-combined-authentication-and-authorisation", "combined"},
	{"5.7/code", "invalid_grant", "Code not valid", "single use"},
	{"5.7/redirect", "invalid_grant", "Incorrect redirect_uri", "redirect_uri"},
	{"5.7/pkce", "invalid_grant", "PKCE verification failed", "code_verifier"},
	{"5.7/client", "unauthorized_client", "Invalid client or Invalid client credentials", "client_secret"},
	{"5.7/refresh", "invalid_grant", "Invalid refresh token", "refresh token"},
	{"3.4/signature", "public_key error", "JWT signature verification failed", "ID token"},
	{"4.2/malformed", "invalid_request", "Malformed JWT in External ID token", "identity provider"},
	{"4.2/aud", "invalid_request", "Invalid 'aud' claim in external ID token JWT", "platform's own client"},
	{"4.2/iss", "invalid_request", "Invalid iss claim in external ID token JWT", "issuer"},
	{"4.6/malformed", "invalid_request", "Malformed JWT in logout_token", "logout_token"},
	{"4.6/aud", "invalid_request", "Missing/invalid aud claim in JWT", "platform's own client"},
	{"4.6/iss", "invalid_request", "Missing/invalid iss claim in JWT", "issuer"},
	{"4.6/sid", "invalid_request", "Missing sid claim in JWT", "sid"},
	{"4.6/events", "invalid_request", "Missing/invalid events claim in JWT", "backchannel-logout"},
	{"4.6/nonce", "invalid_request", "Prohibited nonce claim in JWT", "nonce"},
	{"4.6/no jwks", "not_implemented", "Logout Failed", "JWKS"},
	{"4.6/verify", "bad_request", "Unable to verify JWT", "signature"},
	{"4.6/sid unknown", "not_implemented", "SID not found", "no session"},
	{"6/jwt", "invalid_client", "JWT is not valid", "aud"},
	{"6/client", "invalid_client", "Client authentication failed", "Connection Manager"},
	{"6/grant", "invalid_grant", "The provided access grant is invalid, expired, or revoked.", "single use"},
	{"6/redirect", "invalid_grant", "The redirection URI provided does not match a pre-registered value.", "redirect_uri"},
	{"6/pkce", "invalid_grant", "The request failed the PKCE code verifier check", "code_verifier"},
	{"rate-limited (local)", "rate_limit_exceeded", "Your application has exceeded its rate limit - retry after the number of seconds in the Retry-After header", "Retry-After"},
	{"unavailable (local)", "service_unavailable", "The service is temporarily unavailable - retry after the number of seconds in the Retry-After header", "Retry-After"},
}

func TestDiagnoseEveryRow(t *testing.T) {
	for _, tt := range arRows {
		t.Run(tt.row, func(t *testing.T) {
			hints := steps.Diagnose(&steps.OAuthError{Code: tt.code, Description: tt.desc})
			if len(hints) == 0 {
				t.Fatal("no hint")
			}
			var all strings.Builder
			for _, h := range hints {
				if h.Cause == "" || h.Fix == "" {
					t.Errorf("hint %+v lacks a cause or a fix", h)
				}
				all.WriteString(h.Cause + " " + h.Fix + " ")
			}
			if !strings.Contains(all.String(), tt.want) {
				t.Errorf("diagnosis %q does not mention %q", all.String(), tt.want)
			}
			// The row has its own diagnosis, not only its code's fallback.
			fallback := steps.Diagnose(&steps.OAuthError{Code: tt.code, Description: "some other description"})
			if reflect.DeepEqual(hints, fallback) {
				t.Errorf("row %s gets only the fallback for %s", tt.row, tt.code)
			}
		})
	}
}

func TestDiagnoseContext(t *testing.T) {
	const row24 = "you have tried to request authorization but your application is not configured to use this authorization grant type"
	join := func(hs []steps.Hint) string {
		var b strings.Builder
		for _, h := range hs {
			b.WriteString(h.Cause + " " + h.Fix + "\n")
		}
		return b.String()
	}
	tests := []struct {
		name          string
		err           steps.OAuthError
		want, notWant string
		also          string
		wantN         int
	}{
		{
			name: "aud names the URL called",
			err:  steps.OAuthError{Code: "invalid_request", Description: "Missing or invalid 'aud' claim in client_assertion JWT", Endpoint: "http://127.0.0.1:8400/oauth2/token"},
			want: "aud must be exactly the token URL you called: http://127.0.0.1:8400/oauth2/token", wantN: 1,
		},
		{
			name: "row 24 for client credentials",
			err:  steps.OAuthError{Code: "unauthorized_client", Description: row24, Grant: steps.GrantClientCredentials},
			want: "app-level3", notWant: "assurance", wantN: 1,
		},
		{
			name: "row 24 for a token exchange is insufficient assurance",
			err:  steps.OAuthError{Code: "unauthorized_client", Description: row24, Grant: steps.GrantTokenExchange},
			want: "Insufficient assurance", notWant: "app-level3", wantN: 1,
		},
		{
			name: "row 24 for an unknown grant gives both",
			err:  steps.OAuthError{Code: "unauthorized_client", Description: row24},
			want: "assurance", wantN: 2,
		},
		{
			name: "a mock ID token at /oauth2",
			err:  steps.OAuthError{Code: "invalid_request", Description: "Missing or non-matching 'iss' claim in subject_token JWT", Endpoint: "https://int.api.service.nhs.uk/oauth2/token"},
			want: "came from the mock realm", also: "at /oauth2-mock/token: https://int.api.service.nhs.uk/oauth2-mock/token", wantN: 1,
		},
		{
			name: "a foreign ID token at /oauth2-mock",
			err:  steps.OAuthError{Code: "invalid_request", Description: "Missing or non-matching 'iss' claim in subject_token JWT", Endpoint: "http://127.0.0.1:8400/oauth2-mock/token"},
			want: "only from this environment's mock realms", notWant: "came from the mock realm", wantN: 1,
		},
		{
			name: "signature on a token exchange may be either token",
			err:  steps.OAuthError{Code: "public_key error", Description: "JWT signature verification failed", Grant: steps.GrantTokenExchange},
			want: "ID token", wantN: 2,
		},
		{
			name: "signature on client credentials is the assertion's key",
			err:  steps.OAuthError{Code: "public_key error", Description: "JWT signature verification failed", Grant: steps.GrantClientCredentials},
			want: "different key", notWant: "ID token", wantN: 1,
		},
		{
			name: "unknown description falls back on the code",
			err:  steps.OAuthError{Code: "invalid_grant", Description: "something new"},
			want: "invalid, expired", wantN: 1,
		},
		{
			name: "callback error without description",
			err:  steps.OAuthError{Code: "access_denied"},
			want: "cancelled", wantN: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.err
			hints := steps.Diagnose(&e)
			text := join(hints)
			if len(hints) != tt.wantN {
				t.Errorf("got %d hints, want %d:\n%s", len(hints), tt.wantN, text)
			}
			if !strings.Contains(text, tt.want) {
				t.Errorf("diagnosis %q lacks %q", text, tt.want)
			}
			if !strings.Contains(text, tt.also) {
				t.Errorf("diagnosis %q lacks %q", text, tt.also)
			}
			if tt.notWant != "" && strings.Contains(text, tt.notWant) {
				t.Errorf("diagnosis %q has %q", text, tt.notWant)
			}
		})
	}
	if steps.Diagnose(nil) != nil || steps.Diagnose(&steps.OAuthError{Code: "made_up"}) != nil {
		t.Error("hints for nothing known")
	}
}
