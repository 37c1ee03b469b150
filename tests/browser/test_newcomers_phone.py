"""Issue #16 on a phone: filters at the top of the results, search results first, and less chrome
before the story (a header menu, stats that keep their labels, work details that fold), on a
phone-sized and a desktop viewport, with JavaScript and without."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.services import create_bookmark
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

FANDOM = "The Walking Dead"
LONG_SHIP = "Carol Peletier/Daryl Dixon/Michonne Hawthorne-Grimes & Ezekiel Sutton"
TOUCH = 44  # px: the smallest target a thumb should be asked to hit


def walking_dead_works() -> None:
    make_story(
        title="Walker Season",
        fandoms=[FANDOM],
        characters=["Carol Peletier", "Daryl Dixon"],
        relationships=["Carol Peletier/Daryl Dixon", LONG_SHIP],
    )
    make_story(title="Prison Days", fandoms=[FANDOM], characters=["Carol Peletier", "Rick Grimes"])
    make_story(title="Road North", fandoms=[FANDOM], characters=["Carol Peletier"], freeforms=["Slow Burn"])


def box(locator: Locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not shown"
    return found


def above(upper: Locator, lower: Locator) -> bool:
    return box(upper)["y"] + box(upper)["height"] <= box(lower)["y"]


def filter_toggle(page: Page) -> Locator:
    return page.locator("details.filters-toggle > summary")


# Item 2: filters on a phone.


@pytest.mark.parametrize("script", ["with JavaScript", "without JavaScript"])
def test_on_a_phone_sort_and_filter_opens_at_the_top_of_the_results(page: Page, no_js_page, script):
    walking_dead_works()
    page = page if script == "with JavaScript" else no_js_page()
    page.set_viewport_size(PHONE)
    page.goto(Tag.objects.get(name="Carol Peletier").get_absolute_url())
    first_work = page.locator(".listing .story-card").first

    toggle = filter_toggle(page)
    expect(toggle).to_have_text(re.compile("Sort and filter"))
    expect(page.locator("form.filters")).to_be_hidden()
    assert above(toggle, first_work)
    assert box(toggle)["height"] >= TOUCH
    toggle.click()

    filters = page.locator("form.filters")
    expect(filters).to_be_visible()
    assert above(filters, first_work)
    exclude = filters.get_by_label("Exclude Rick Grimes")
    target = exclude.locator("xpath=..")
    assert box(target)["height"] >= TOUCH and box(target)["width"] >= TOUCH
    for control in [*filters.locator("label.facet-box").all(), filters.get_by_role("button", name="Sort and filter")]:
        assert box(control)["height"] >= TOUCH
    # A thumb that lands on the edge of the cell, not on the box itself, still ticks it.
    target.click(position={"x": 3, "y": 3})
    expect(exclude).to_be_checked()
    filters.get_by_role("button", name="Sort and filter").click()

    expect(page).to_have_url(re.compile(r"exclude=\d+"))
    expect(page.locator(".listing .card-title > a")).to_have_text(["Road North", "Walker Season"])
    expect(filter_toggle(page)).to_be_in_viewport()


def test_on_a_phone_a_readers_bookmarks_open_their_filters_from_the_top(page: Page):
    reader = UserFactory(username="lantern")
    for story in (make_story(title="Walker Season", fandoms=[FANDOM]), make_story(title="Olympus")):
        create_bookmark(user=reader, story=story)
    page.set_viewport_size(PHONE)
    page.goto("/users/lantern/bookmarks")
    toggle = filter_toggle(page)
    expect(toggle).to_have_text(re.compile("Filter bookmarks"))
    expect(page.locator("aside.filters")).to_be_hidden()
    assert above(toggle, page.locator(".story-card").first)

    toggle.click()
    page.locator("aside.filters").get_by_label("Fandom, character or relationship").fill(FANDOM)
    page.get_by_role("button", name="Filter", exact=True).click()

    expect(page.locator(".story-card .card-title > a")).to_have_text(["Walker Season"])


def test_on_a_desktop_the_filters_sit_beside_the_results_and_their_button_is_never_hidden(page: Page):
    # Enough tags that the form is taller than the window: it must not scroll inside its own box.
    for number in range(12):
        make_story(
            title=f"Work {number}",
            fandoms=[FANDOM, f"Fandom {number}"],
            characters=["Carol Peletier", f"Character {number}"],
            relationships=[f"Carol Peletier/Character {number}"],
            freeforms=[f"Trope {number}"],
        )
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(Tag.objects.get(name="Carol Peletier").get_absolute_url())

    filters = page.locator("form.filters")
    expect(filter_toggle(page)).to_be_hidden()
    expect(filters).to_be_visible()
    assert box(filters)["x"] > box(page.locator(".listing")).get("x") + 300  # beside the results
    assert filters.evaluate("form => form.scrollHeight <= form.clientHeight + 1")
    assert filters.evaluate("form => getComputedStyle(form).overflowY") == "visible"
    submit = filters.get_by_role("button", name="Sort and filter")
    submit.scroll_into_view_if_needed()
    expect(submit).to_be_in_viewport()
    filters.get_by_label("Exclude Character 3").check()
    submit.click()
    expect(page.locator(".listing .story-card")).to_have_count(11)


def test_a_long_ship_name_wraps_between_its_characters_not_inside_a_name(sized_page: Page):
    walking_dead_works()
    page = sized_page
    page.goto(Tag.objects.get(name="Carol Peletier").get_absolute_url())
    if page.viewport_name == "phone":
        filter_toggle(page).click()

    name = page.locator("form.filters th", has_text="Ezekiel Sutton")
    expect(name).to_contain_text(LONG_SHIP)
    assert name.evaluate("th => th.querySelectorAll('wbr').length") == 3
    # Each word of the name sits on one line: the breaks fall only between them (or at a hyphen).
    split_words = name.evaluate(
        """th => {
            const broken = [];
            const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                for (const match of node.data.matchAll(/[^\\s/&-]+/g)) {
                    const range = document.createRange();
                    range.setStart(node, match.index);
                    range.setEnd(node, match.index + match[0].length);
                    const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
                    if (tops.size > 1) broken.push(match[0]);
                }
            }
            return broken;
        }"""
    )
    assert split_words == []


# Item 3: search.


def test_a_character_search_shows_its_results_first_with_the_question_in_a_sentence(sized_page: Page):
    walking_dead_works()
    page = sized_page
    page.goto("/works/search")

    # Searching by character needs nothing unfolded, and suggests tags as the work form does.
    characters = page.get_by_role("combobox", name="Characters", exact=True)
    expect(characters).to_be_visible()
    expect(page.get_by_label("In a romantic relationship (A/B)")).to_be_visible()
    characters.press_sequentially("Dar")
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_text(["Daryl Dixon"])
    characters.press("ArrowDown")
    characters.press("Enter")  # picks the suggestion, does not search yet
    expect(characters).to_have_value("Daryl Dixon, ")
    expect(page).to_have_url(re.compile(r"/works/search$"))
    page.get_by_role("combobox", name="Relationships", exact=True).press_sequentially("Carol Peletier/")
    expect(page.get_by_role("listbox").get_by_role("option").first).to_be_visible()
    page.get_by_role("combobox", name="Relationships", exact=True).fill("")
    characters.press("Enter")  # nothing highlighted: Enter searches

    expect(page).to_have_url(re.compile(r"characters=Daryl"))
    summary = page.locator(".search-summary")
    expect(summary).to_have_text("Works with Daryl Dixon; sorted by date updated.")
    results = page.get_by_role("region", name="Results")
    expect(results.locator(".card-title > a")).to_have_text(["Walker Season"])
    expect(results.get_by_role("heading", name="Results")).to_be_in_viewport()
    expect(results.locator(".story-card").first).to_be_in_viewport()
    # The form is folded, one tap away, and keeps what was asked.
    expect(page.get_by_role("combobox", name="Characters", exact=True)).to_be_hidden()
    page.get_by_text("Edit search").click()
    expect(page.get_by_role("combobox", name="Characters", exact=True)).to_have_value(re.compile(r"^Daryl Dixon,?\s*$"))
    expect(page.get_by_text("More options")).to_be_visible()
    expect(page.get_by_label("Title")).to_be_hidden()


def test_a_search_with_no_results_keeps_its_form_open_to_change_it(page: Page, no_js_page):
    walking_dead_works()
    for opened in (page, no_js_page()):
        opened.set_viewport_size(PHONE)
        opened.goto("/works/search?characters=Rick+Grimes&character_mode=romantic")
        expect(opened.locator(".search-summary")).to_have_text(
            "Works with Rick Grimes in a romantic relationship; sorted by date updated."
        )
        expect(opened.get_by_text("No works match all of those tags.")).to_be_visible()
        expect(opened.get_by_label("Characters", exact=True)).to_be_visible()
        expect(opened.get_by_text("Edit search")).to_have_count(0)

    page.goto("/works/search")
    expect(page.locator(".search-summary")).to_have_count(0)
    expect(page.get_by_label("Characters", exact=True)).to_be_visible()


# Item 6: less chrome before the story.


def test_on_a_phone_the_header_is_one_row_with_a_menu_that_works_by_keyboard(page: Page, log_in, no_js_page):
    reader = UserFactory(username="lantern")
    log_in(reader)
    for opened in (page, no_js_page(reader)):
        opened.set_viewport_size(PHONE)
        opened.goto("/")
        header = opened.locator("header.site-header")
        site = opened.get_by_role("navigation", name="Site")
        menu = header.locator("details.menu-toggle > summary")
        expect(menu).to_have_text(re.compile("Menu"))
        expect(site.get_by_role("link", name="Dashboard")).to_be_hidden()
        assert box(header)["height"] <= 64
        assert box(menu)["height"] >= TOUCH

        menu.focus()
        opened.keyboard.press("Enter")
        expect(site.get_by_role("link", name="Dashboard")).to_be_visible()
        assert box(site.get_by_role("link", name="Inbox"))["height"] >= TOUCH
        expect(site.get_by_role("button", name="Log out lantern")).to_be_visible()
        opened.keyboard.press("Tab")
        expect(site.get_by_role("link", name="Works", exact=True)).to_be_focused()
        site.get_by_role("link", name="Dashboard").click()
        expect(opened).to_have_url(re.compile(r"/dashboard"))


def test_on_a_desktop_the_header_shows_its_links_without_a_menu(page: Page, log_in):
    log_in(UserFactory(username="lantern"))
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    expect(page.locator("details.menu-toggle > summary")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Site").get_by_role("link", name="Dashboard")).to_be_visible()


STATS_ON_ONE_LINE = """dl => [...dl.querySelectorAll(':scope > dt')].filter(dt => {
    const dd = dt.nextElementSibling;
    const label = [...dt.getClientRects()].pop(), value = dd.getClientRects()[0];
    return Math.abs(label.top - value.top) > 2;
}).map(dt => dt.textContent)"""


def test_stats_labels_stay_on_the_line_of_their_values(sized_page: Page):
    page = sized_page
    story = make_story(author=UserFactory(username="quill"), title="Long Count", chapters=3)
    Story.objects.filter(pk=story.pk).update(
        word_count=1_234_567, hit_count=9_876_543, kudos_count=123_456, comment_count=45_678, bookmark_count=0
    )
    for url, stats in (("/", "li.story-card dl.stats"), (story.get_absolute_url(), "dl.work.meta dl.stats")):
        page.goto(url)
        for dl in page.locator(stats).all():
            assert dl.evaluate(STATS_ON_ONE_LINE) == []
    page.goto(story.get_absolute_url())
    # A narrow column makes every pair a candidate for a split.
    page.locator("dl.work.meta dl.stats").evaluate("dl => { dl.parentElement.style.maxWidth = '9rem'; }")
    assert page.locator("dl.work.meta dl.stats").evaluate(STATS_ON_ONE_LINE) == []


def test_a_reader_folds_the_work_details_and_the_browser_remembers(sized_page: Page):
    page = sized_page
    story = make_story(
        author=UserFactory(username="quill"),
        title="Walker Season",
        fandoms=[FANDOM],
        characters=["Carol Peletier", "Daryl Dixon", "Rick Grimes", "Michonne"],
        relationships=[LONG_SHIP],
        freeforms=["Slow Burn", "Road Trip", "Found Family", "Winter"],
        chapters=2,
        body="The prison gates stood open.",
    )
    other = make_story(author=UserFactory(), title="Prison Days", fandoms=[FANDOM])
    page.goto(story.get_absolute_url())
    meta = page.locator("dl.work.meta")
    fold = page.get_by_role("button", name="Hide work details")
    expect(meta).to_be_visible()
    expect(fold).to_have_attribute("aria-expanded", "true")

    fold.click()

    expect(meta).to_be_hidden()
    unfold = page.get_by_role("button", name="Show work details")
    expect(unfold).to_have_attribute("aria-expanded", "false")
    text = page.locator("#chapters .userstuff p").first
    expect(text).to_have_text("The prison gates stood open.")
    expect(text).to_be_in_viewport()  # the chapter starts on the first screen, phone or desktop
    page.goto(other.get_absolute_url())
    expect(page.locator("dl.work.meta")).to_be_hidden()
    page.get_by_role("button", name="Show work details").click()
    expect(page.locator("dl.work.meta")).to_be_visible()
    page.reload()
    expect(page.locator("dl.work.meta")).to_be_visible()


def test_without_javascript_the_work_details_are_open_and_no_dead_button_shows(no_js_page):
    story = make_story(author=UserFactory(), title="Walker Season", fandoms=[FANDOM])
    page = no_js_page()
    page.set_viewport_size(PHONE)
    page.goto(story.get_absolute_url())
    expect(page.locator("dl.work.meta")).to_be_visible()
    expect(page.get_by_role("button", name="Hide work details")).to_be_hidden()
