"""HTTP load benchmark: the nearby endpoint against a bare JSON endpoint on the same server."""
