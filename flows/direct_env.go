package flows

import "net/url"

// CIS2Path is the path of CIS2 Authentication's Healthcare realm on
// ForgeRock AM (reference §6.1). The local platform serves its local CIS2
// there too: the two sides agree by documentation.
const CIS2Path = "/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare"

// ConnectionManagerPath is the local Connection Manager's registration
// endpoint (nhsauth mock --help); the real Connection Manager is a web tool.
const ConnectionManagerPath = "/_mock/connection-manager/clients"

// CIS2 Authentication's issuers (reference §6.1), with the :443 the real
// issuer strings carry. DEP (deployment) exists but its host is
// unconfirmed, so no environment names it.
const (
	cis2INT  = "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443" + CIS2Path
	cis2DEV  = "https://am.nhsdev.auth-ptl.cis2.spineservices.nhs.uk:443" + CIS2Path
	cis2PROD = "https://am.nhsidentity.spineservices.nhs.uk:443" + CIS2Path
)

// CIS2DiscoveryURL is CIS2's discovery document in this environment, ""
// where none is known. It keeps the issuer's :443, so the issuer the
// document states equals the URL it was fetched from (OpenID Connect
// Discovery §4.3); the documents list the same URLs without it.
func (e Env) CIS2DiscoveryURL() string {
	if e.CIS2Issuer == "" {
		return ""
	}
	return e.CIS2Issuer + "/.well-known/openid-configuration"
}

// acrExtra is acr_values as an authorise request's extra parameter.
func acrExtra(acr string) url.Values {
	if acr == "" {
		return nil
	}
	return url.Values{"acr_values": {acr}}
}
