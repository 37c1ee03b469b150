"""A work's life cycle, from its author's side, in one place.

    step                         page (views.py, urls.py)          what writes (services.py...)
    create a work                chapters:story_create  /works/new  create_story
    preview before posting       the forms' Preview button          preview.py (saves nothing)
    post a draft                 chapters:story_post                post_story
    edit, backdate               stories:edit                       update_story, date_publication
    place it in a series         the work form's Series box         series.services.set_work_series
    add/edit/delete chapters     chapters:create, :edit, :delete    add_chapter, update_chapter, delete_chapter
    reorder chapters             chapters:manage                    reorder_chapters
    revisions                    chapters:revisions, :revision...   keep_revision (on every edit)
    co-creators                  cocreators:manage, :invitation     archive/cocreators/services.py
    delete a work                stories:delete                     delete_story
    orphan a work                cocreators:leave                   cocreators.services.orphan_story
    orphan or delete on leaving  accounts:delete                    account_deletion.py (delete_account)

Series and co-creators keep their own apps (their models, pages and services); the work's own
forms and services call them. The pages readers see are archive/chapters'.
"""
