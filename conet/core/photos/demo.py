"""Pictures for the demo, drawn here with Pillow: no photograph of anyone, no borrowed file, so
there is no licence or author to name. The alt texts say they are drawings."""

import io
import random

from PIL import Image, ImageDraw


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def drawn_street(width: int = 1200, height: int = 800, seed: int = 7) -> bytes:
    """A row of low, brightly painted houses under an evening sky."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # the sky, from dusk blue to a warm horizon
        t = y / height
        draw.line(
            [(0, y), (width, y)], fill=(int(40 + 200 * t), int(70 + 110 * t), int(140 - 40 * t))
        )
    draw.ellipse(
        [width * 0.72, height * 0.18, width * 0.82, height * 0.18 + width * 0.1],
        fill=(255, 214, 120),
    )
    ground = int(height * 0.78)
    draw.rectangle([0, ground, width, height], fill=(96, 92, 86))
    x = 20
    colours = [(214, 96, 77), (236, 190, 92), (120, 170, 140), (90, 140, 200), (220, 150, 170)]
    while x < width - 40:
        w = rng.randint(140, 220)
        h = rng.randint(int(height * 0.25), int(height * 0.4))
        top = ground - h
        draw.rectangle(
            [x, top, x + w, ground], fill=rng.choice(colours), outline=(60, 50, 45), width=3
        )
        draw.polygon(
            [(x - 10, top), (x + w / 2, top - h * 0.35), (x + w + 10, top)], fill=(150, 60, 50)
        )
        for wx in range(x + 20, x + w - 30, 55):
            draw.rectangle(
                [wx, top + 30, wx + 30, top + 70],
                fill=(255, 236, 170),
                outline=(60, 50, 45),
                width=2,
            )
        door = x + w // 2
        draw.rectangle([door - 18, ground - 70, door + 18, ground], fill=(90, 60, 40))
        x += w + rng.randint(12, 30)
    return _jpeg(image)


def drawn_board(width: int = 1200, height: int = 900, seed: int = 11) -> bytes:
    """A paper board with clustered cards and coloured voting dots, as after a critique phase."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), (120, 100, 80))
    draw = ImageDraw.Draw(image)
    draw.rectangle(
        [40, 30, width - 40, height - 30], fill=(250, 248, 240), outline=(200, 195, 185), width=4
    )
    card_colours = [(255, 238, 140), (170, 220, 250), (255, 190, 200)]
    for column in range(3):
        left = 90 + column * (width - 160) // 3
        draw.rectangle([left, 70, left + 300, 120], fill=(60, 60, 60))  # the cluster's title
        for row in range(rng.randint(3, 5)):
            top = 150 + row * 130
            draw.rectangle(
                [left, top, left + 300, top + 105],
                fill=card_colours[column],
                outline=(150, 150, 140),
            )
            for line in range(3):
                draw.line(
                    [
                        (left + 20, top + 25 + line * 25),
                        (left + rng.randint(150, 280), top + 25 + line * 25),
                    ],
                    fill=(80, 80, 90),
                    width=5,
                )
        for dot in range(rng.randint(2, 7)):
            cx = left + 30 + dot * 36
            draw.ellipse([cx, 130 - 8, cx + 24, 130 + 16], fill=(220, 50, 60))
    return _jpeg(image)
