"""Works with everything a download must carry, stored the way the forms store them."""

from archive.core.prose import clean_prose
from archive.publishing.services import add_chapter, update_chapter
from archive.stories.choices import Category, Warning
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

# What authors paste: curly quotes, CJK and Arabic, a link, non-breaking spaces, and HTML whose
# nesting the content models forbid (a paragraph inside emphasis, a div inside a span, text
# straight inside a list, <center>), which the stored fragment keeps and the files must mend.
MESSY_BODY = """<p>“Look,” she said&nbsp;— it’s <a href="https://example.org/map?a=1&b=2">the map</a>.</p>
<p>東京へ行きます。 مرحبا بالعالم <ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby></p>
<em><p>An emphasised paragraph.</p><p>And another.</p></em>
<span><div>A div in a span.</div></span>
<ul>loose text<li>an item</li></ul>
<center>* * *</center>
<p>Line one<br>line two<hr>after a rule</p>
<p><img src="https://example.org/map.png" alt="A map"> and <a href="/works/1">a relative link</a>.</p>
<table><tr><td>cell</td></tr><caption>A table</caption></table>"""

# Stranger still, stored raw (an import, a shell session): every one must come out valid.
AWKWARD_FRAGMENTS = [
    "<dl>stray<dt>t</dt><p>p in dl</p><dd>d</dd></dl><dt>stray dt</dt><dd>stray dd</dd>",
    "<ruby>no rt</ruby><rp>(</rp><p><ruby>a<rt>b</rt></ruby></p>",
    "<em><ul><li>a</li></ul><table><tr><td>x</td></tr></table><h2>h</h2><blockquote>q</blockquote><hr></em>",
    "<table><thead><tr><th scope='bogus' colspan='0' rowspan='x'>h</th></tr></thead>"
    "<tfoot><tr><td>f</td></tr></tfoot><tbody><tr><td colspan='2'>b</td></tr></tbody></table>",
    "<ol start='3' type='i'><li>a</li></ol><ol start='x' type='q'><li>b</li></ol>",
    "<a href='https://e.org'><img src='https://e.org/i.png' alt='in link'><div>block in link</div></a>",
    "<p><a href='https://e.org/a b\"c<d'>odd url</a> <a href='mailto:x@y.org'>mail</a> <a href='ftp://x'>ftp</a>"
    " <a href='//e.org/x'>scheme-relative</a> <a href='https://ex.org/ü'>unicode</a></p>",
    "<p lang='zh-Hant' dir='rtl'>x</p><p lang='en_US' dir='sideways'>y</p><span lang=''>z</span>",
    "<h6>h6 <em>em</em></h6><small><p>p in small</p></small><q><div>div in q</div></q>",
    "<li>stray li</li><tr><td>stray td</td></tr><caption>stray caption</caption>",
    "<abbr title='t'>a</abbr><cite>c</cite><sup>1</sup><del><p>del p</p></del><ins>ins</ins><s>s</s><u>u</u>",
    "text with \x0b a vertical tab, &#1; &#xFFFE; and &nbsp;&amp;&lt;&gt;&quot;&apos;&copy;&hellip;",
    "<div><center><p>centered p</p></center></div><span><center>c in span</center></span>",
    "<img src='http://insecure/x.png' alt='insecure'><img src='https://secure/x.png'><img src='data:image/png,AAA'>",
    "<p><a href='#frag'>frag</a><a>no href</a><a href='https://x.org'><a href='https://y.org'>nested</a></a></p>",
    "<ul><li><ul><li>nested</li></ul></li></ul><dl><dt><h2>heading in dt</h2></dt><dd><p>p</p></dd></dl>",
    "<script>alert(1)</script><style>p{}</style><iframe src='https://x'></iframe><svg><circle/></svg>",
    "<table><caption><table><tr><td>in caption</td></tr></table></caption>"
    "<tr><td><table><tr><td>nested</td></tr></table></td></tr></table>",
    "<p>unclosed <em>em <strong>strong</p><p>next</p>",
]


def write_rich_story(author, *, chapters: int = 3, **story_fields) -> Story:
    """A posted work whose every part is filled in, each chapter with its own notes."""
    fields = {
        "title": "The Long Way Round: “Home” 家へ",
        "summary": clean_prose("She said “go home”.\n\nSo she did — 家へ."),
        "notes": clean_prose("Work notes up front."),
        "end_notes": clean_prose("Work end notes at the back."),
        "categories": Category.FF | Category.GEN,
        "warnings": Warning.NONE_APPLY,
        "fandoms": ["Greek Mythology", "Hadestown"],
        "characters": ["Persephone", "Hades"],
        "relationships": ["Hades/Persephone"],
        "freeforms": ["Slow Burn", "Found Family"],
        **story_fields,
    }
    story = make_story(author=author, **fields)
    update_chapter(
        chapter=story.chapters.get(),
        fields={
            "title": "Setting Out",
            "notes": clean_prose("Notes before chapter 1."),
            "end_notes": clean_prose("Notes after chapter 1."),
            "body": clean_prose(MESSY_BODY),
        },
    )
    for number in range(2, chapters + 1):
        add_chapter(
            story=story,
            fields={
                "title": f"Part {number}",
                "notes": clean_prose(f"Notes before chapter {number}."),
                "end_notes": clean_prose(f"Notes after chapter {number}."),
                "body": clean_prose(f"Words of chapter {number}."),
            },
            post=True,
        )
    story.refresh_from_db()
    return story
