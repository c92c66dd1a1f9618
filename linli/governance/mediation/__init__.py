"""People's mediation of disputes (人民调解): cases, sessions, agreements, follow-up visits and
judicial confirmation."""
