from django.db import transaction
from django.db.models import F

from archive.chapters.models import Chapter
from archive.comments.models import Comment
from archive.stories.models import Story


@transaction.atomic
def post_comment(*, chapter: Chapter, user, body: str, parent: Comment | None = None) -> Comment:
    comment = Comment.objects.create(chapter=chapter, story_id=chapter.story_id, user=user, body=body, parent=parent)
    Story.objects.filter(pk=chapter.story_id).update(comment_count=F("comment_count") + 1)
    return comment
