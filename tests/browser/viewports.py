"""The screen sizes the browser tests read the archive at: a phone's and a desktop's."""

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
