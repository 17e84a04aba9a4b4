"""One page in a real browser: horizontal scroll, CSP violations, axe-core, and a full-page
screenshot.

axe-core is vendored (tests/e2e/vendor/axe-core, from its npm package): no CDN, no network.
Screenshots go to tests/e2e/screenshots/ (git-ignored), named <page>-<width>.png.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_SOURCE = (HERE / "vendor" / "axe-core" / "axe.min.js").read_text()
SCREENSHOTS = HERE / "screenshots"
FAILING_IMPACTS = ("serious", "critical")

_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (result) => done(result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((node) => node.target.join(" ")),
  }))),
  (error) => done([{id: "axe-error", impact: "critical", help: String(error), targets: []}]),
);
"""


def audit_page(browser, *, url: str, name: str, width: int, height: int) -> list[str]:
    """Loads `url` at width x height and gives back what is wrong with it (empty: nothing)."""
    browser.set_window_size(width, height)
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get(url)
    problems = [
        f"{name} @{width}px: blocked by the Content-Security-Policy: {message}"
        for message in csp_violations(browser)
    ]
    inner = browser.execute_script("return window.innerWidth")
    scroll = browser.execute_script("return document.documentElement.scrollWidth")
    if scroll > inner:
        problems.append(f"{name} @{width}px: scrolls sideways ({scroll}px of content in {inner}px)")
    browser.execute_script(AXE_SOURCE)
    for violation in browser.execute_async_script(_RUN_AXE):
        if violation["impact"] in FAILING_IMPACTS:
            problems.append(
                f"{name} @{width}px: axe {violation['impact']} {violation['id']}: {violation['help']} "
                f"at {violation['targets']}"
            )
    _screenshot(browser, name=name, width=width, height=height)
    return problems


def csp_violations(browser) -> list[str]:
    """What the page's Content-Security-Policy refused (an inline script or style without the
    nonce, a handler attribute, a foreign host), as Chromium reports it on the console."""
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"] or "Refused to" in entry["message"]
    ]


def _screenshot(browser, *, name: str, width: int, height: int) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    # The whole page: grow the window to the document's height, then put it back.
    full = browser.execute_script("return document.documentElement.scrollHeight")
    chrome = height - browser.execute_script("return window.innerHeight")
    browser.set_window_size(width, min(full + chrome, 8000))
    browser.save_screenshot(str(SCREENSHOTS / f"{name}-{width}.png"))
    browser.set_window_size(width, height)
