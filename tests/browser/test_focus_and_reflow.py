"""What axe cannot see, on every page of the permission-matrix world as each role, in Chromium:

- every element the keyboard reaches shows a focus indicator (an outline, or a solid ring) of at least 3:1
  against what is behind it, and every text box, select, radio and checkbox has a border of at least 3:1;
- nothing scrolls sideways at 320 px (reflow), so the site works at 400% zoom and on a small phone.
"""

import re

import pytest
import time_machine

from tests.browser.world_pages import backdrop, contrast, html_pages, over, parse_colour, sign_in_as
from tests.security.world import NOW, build_world

MAX_TABS = 80  # per page: enough for every page of this world; a page with more is checked up to here

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = el.dataset.focusSeen === "yes";
  el.dataset.focusSeen = "yes";
  const style = getComputedStyle(el);
  const layers = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    layers.push(getComputedStyle(node).backgroundColor);
  }
  const box = el.getBoundingClientRect();
  return {
    element: el.outerHTML.slice(0, 140),
    tag: el.tagName.toLowerCase(),
    seen,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    layers,
    shown: box.width > 0 && box.height > 0,
  };
}"""

CONTROLS = """() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => !["hidden", "submit", "button", "image", "reset"].includes(el.type))
  .filter((el) => !el.classList.contains("btn-check") && el.checkVisibility())
  .filter((el) => { const box = el.getBoundingClientRect(); return box.width > 2 && box.height > 2; })
  .map((el) => {
    const style = getComputedStyle(el);
    const layers = [];
    for (let node = el.parentElement; node; node = node.parentElement) {
      layers.push(getComputedStyle(node).backgroundColor);
    }
    return {
      element: el.outerHTML.slice(0, 140),
      appearance: style.appearance,
      borderStyle: style.borderTopStyle,
      borderWidth: parseFloat(style.borderTopWidth),
      borderColor: style.borderTopColor,
      layers,
    };
  })"""

SHADOW = re.compile(r"(rgba?\([^)]*\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px\s+(-?[\d.]+)px")


def indicator_contrast(focused: dict) -> float:
    """The best contrast of the focus indicator against the background behind the element: its outline (2px or
    more) or a solid box-shadow ring (spread 2px or more, no blur)."""
    behind = backdrop(focused["layers"])
    found = [0.0]
    if focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2:
        found.append(contrast(_opaque(focused["outlineColor"], behind), behind))
    for colour, _x, _y, blur, spread in SHADOW.findall(focused["boxShadow"]):
        if float(blur) == 0 and float(spread) >= 2:
            found.append(contrast(_opaque(colour, behind), behind))
    return round(max(found), 2)


def border_contrast(control: dict) -> float | None:
    """The contrast of a control's border against what is behind it; None for a control the browser draws
    itself (appearance auto, Chromium's own #767676 borders, 4.5:1)."""
    if control["borderStyle"] == "none" or control["borderWidth"] == 0:
        return None if control["appearance"] != "none" else 0.0
    behind = backdrop(control["layers"])
    return round(contrast(_opaque(control["borderColor"], behind), behind), 2)


def _opaque(colour: str, behind):
    """A computed colour, painted over what is behind it."""
    return over(parse_colour(colour), behind)


def tab_through(page, on_stop=None) -> list[dict]:
    """Press Tab from the top of the page until focus leaves it or comes round again; what each stop showed.
    `on_stop(index, stop)` is called at each stop, while it has focus."""
    stops = []
    for index in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["seen"]:
            break
        stops.append(focused)
        if on_stop is not None:
            on_stop(index, focused)
    return stops


# Pages where a person can look at the focus ring: (role, page) -> the stops (by index) to photograph.
SHOWCASE = {("member", "members:expenses"): (1, 8, 10, 14), ("staff", "dashboards:manager"): (4, 12)}


def _screenshots_of(visit, page, folder):
    wanted = SHOWCASE.get((visit.role, visit.name), ())

    def shoot(index, _stop):
        if index in wanted:
            page.screenshot(path=folder / f"{visit.role}-{visit.name.replace(':', '-')}-stop-{index:02d}.png")

    return shoot


@pytest.fixture
def walked_world(live_server, transactional_db):
    with time_machine.travel(NOW, tick=True):
        world = build_world()
        yield world, html_pages(world), live_server.url


@pytest.mark.browser
def test_every_focus_is_visible_and_every_control_border_is_clear(walked_world, page, screenshot_dir):
    world, visits, base = walked_world
    weak_focus, weak_borders, tabbed = {}, {}, 0
    current_role = None
    for visit in visits:
        if visit.role != current_role:
            sign_in_as(page, base, world.user(visit.role))
            current_role = visit.role
        page.goto(base + visit.path)
        for control in page.evaluate(CONTROLS):
            ratio = border_contrast(control)
            if ratio is not None and ratio < 3:
                weak_borders.setdefault(visit.label, []).append((ratio, control["element"]))
        for stop in tab_through(page, on_stop=_screenshots_of(visit, page, screenshot_dir)):
            tabbed += 1
            if stop["tag"] == "iframe" or not stop["shown"]:
                continue  # an iframe's focus is drawn inside its own document; a hidden stop is axe's concern
            ratio = indicator_contrast(stop)
            if ratio < 3:
                weak_focus.setdefault(visit.label, []).append((ratio, stop["element"]))
                if len(weak_focus) <= 5 and len(weak_focus[visit.label]) == 1:
                    page.screenshot(path=screenshot_dir / f"weak-focus-{len(weak_focus):02d}.png")

    assert len({visit.role for visit in visits}) == 5
    assert len(visits) > 100
    assert tabbed > 1000
    assert weak_focus == {}
    assert weak_borders == {}


@pytest.mark.browser
def test_no_page_scrolls_sideways_at_320_pixels(walked_world, page, screenshot_dir):
    world, visits, base = walked_world
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide, current_role = {}, None
    for visit in visits:
        if visit.role != current_role:
            sign_in_as(page, base, world.user(visit.role))
            current_role = visit.role
        page.goto(base + visit.path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[visit.label] = width
            if len(too_wide) <= 8:
                page.screenshot(path=screenshot_dir / f"too-wide-{len(too_wide):02d}.png", full_page=True)
        if visit.name in ("sessions:cohort_schedule", "applications:selection_cohort", "dashboards:member"):
            page.screenshot(
                path=screenshot_dir / f"320-{visit.role}-{visit.name.replace(':', '-')}.png", full_page=True
            )

    assert len(visits) > 100
    assert too_wide == {}
