from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=255,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)
    credit = blocks.CharBlock(
        label=_("Credit"),
        required=False,
        max_length=255,
        help_text=_("Designer, project, commune, year."),
    )

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"


class GalleryBlock(blocks.StructBlock):
    images = blocks.ListBlock(CaptionedImageBlock(), min_num=2, label=_("Images"))

    class Meta:
        icon = "image"
        template = "blocks/gallery_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"


class LinkButtonBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("External URL"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": _("Choose a page or enter a URL, not both.")}
            )
        return value

    class Meta:
        icon = "link"
        template = "blocks/link_button_block.html"


class POCBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        form_classname="title",
        icon="title",
        max_length=120,
        template="blocks/heading_block.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
    )
    image = CaptionedImageBlock(label=_("Image"))
    gallery = GalleryBlock(label=_("Gallery"))
    quote = QuoteBlock(label=_("Quote"))
    video = blocks.StructBlock(
        [
            ("embed", EmbedBlock(label=_("Video URL"))),
            ("caption", blocks.CharBlock(label=_("Caption"), required=False)),
        ],
        label=_("Video"),
        icon="media",
        template="blocks/video_block.html",
    )
    document = DocumentBlock(label=_("Document"))
    link_button = LinkButtonBlock(label=_("Link button"))
