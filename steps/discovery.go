package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// WellKnownSuffix is the path OpenID Connect Discovery §4 appends to an
// issuer to find its configuration.
const WellKnownSuffix = "/.well-known/openid-configuration"

// Provider is what a realm's discovery document says: where to send each
// request, and the issuer every ID token must carry. Raw keeps the whole
// document.
type Provider struct {
	Issuer        string `json:"issuer"`
	AuthURL       string `json:"authorization_endpoint"`
	TokenURL      string `json:"token_endpoint"`
	UserinfoURL   string `json:"userinfo_endpoint"`
	JWKSURL       string `json:"jwks_uri"`
	EndSessionURL string `json:"end_session_endpoint"`

	Raw map[string]any `json:"-"`
}

// Discover fetches a provider's OpenID Connect discovery document and checks
// it. OpenID Connect Discovery §4.3: "The issuer value returned MUST be
// identical to the Issuer URL that was used as the prefix to
// /.well-known/openid-configuration to retrieve the configuration
// information." See
// https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation.
func Discover(ctx context.Context, hc *http.Client, discoveryURL string) (Provider, []Exchange, error) {
	const prefix = "steps: discovery"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, discoveryURL, nil)
	if err != nil {
		return Provider{}, nil, fmt.Errorf("%s: %w", prefix, err)
	}
	req.Header.Set("Accept", "application/json")
	exs, doErr := send(hc, req, "Discovery", "OpenID Connect Discovery §4", nil)
	if doErr != nil {
		return Provider{}, exs, fmt.Errorf("%s: %w", prefix, TransportError(doErr, discoveryURL))
	}
	ex := exs[len(exs)-1]
	if ex.Status < 200 || ex.Status > 299 {
		err := fmt.Errorf("%s: %w", prefix, statusError(ex.Status, ex.RespHeader.Get("Content-Type"), ex.RespBody, ex.URL))
		if ex.Status == http.StatusNotFound {
			err = WithHint(err, "No realm answers at "+discoveryURL+".",
				"Check --env: the mock realms are Cis2-mock-{env} and NHS-Login-mock-{env}.")
		}
		return Provider{}, exs, err
	}
	if err := notJSON(ex, "discovery endpoint"); err != nil {
		return Provider{}, exs, fmt.Errorf("%s: %w", prefix, err)
	}
	var p Provider
	if err := json.Unmarshal(ex.RespBody, &p); err != nil {
		return Provider{}, exs, fmt.Errorf("%s: %w: %v", prefix, ErrNotJSON, err)
	}
	_ = json.Unmarshal(ex.RespBody, &p.Raw)

	var missing []string
	for _, f := range []struct{ name, v string }{
		{"issuer", p.Issuer}, {"authorization_endpoint", p.AuthURL}, {"token_endpoint", p.TokenURL}, {"jwks_uri", p.JWKSURL},
	} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return p, exs, fmt.Errorf("%s: the document lacks %s (OpenID Connect Discovery §3)", prefix, strings.Join(missing, ", "))
	}
	want := strings.TrimSuffix(discoveryURL, WellKnownSuffix)
	if p.Issuer != want {
		return p, exs, WithHint(fmt.Errorf("%s: issuer %q is not %q", prefix, p.Issuer, want),
			"The discovery document names another issuer than the URL it was fetched from; ID tokens would then fail the iss check (OpenID Connect Discovery §4.3). On the local platform 127.0.0.1 and localhost are different hosts.",
			"Use the realm URL exactly as the issuer spells it (scheme, host, port and path).")
	}
	return p, exs, nil
}
