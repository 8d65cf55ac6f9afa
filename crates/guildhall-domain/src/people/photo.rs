//! Profile photos. An upload is decoded (JPEG, PNG, GIF or WebP, within size
//! limits), cropped to a square at its centre, resized to 256 × 256 and
//! re-encoded as a JPEG: nothing of the original file is kept, so its
//! metadata (EXIF, GPS position, comments) goes with it.
//!
//! A photo is shown only to those its owner allows, like any field. To
//! anyone else it is missing, as a photo that does not exist is.

use super::{audiences, edit::editor, seer};
use crate::Ctx;
use crate::error::{Error, FieldErrors, Result};
use guildhall_core::profile::Field;
use guildhall_core::{Timestamp, Viewer};
use image::{DynamicImage, ImageFormat, ImageReader, Limits, imageops::FilterType};
use std::io::Cursor;

/// The largest file accepted.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The largest request body the upload page accepts: the file, the form
/// around it, and room for a file a little too big to be told so plainly.
pub const MAX_UPLOAD_BODY: usize = 6 * 1024 * 1024;
/// The largest image, in pixels each way.
pub const MAX_SIDE: u32 = 8_000;
/// The side of a stored photo, in pixels.
pub const SIDE: u32 = 256;
/// JPEG quality of a stored photo.
pub const QUALITY: u8 = 85;

const TOO_BIG: &str = "The photo must be smaller than 5 MB";
const NOT_AN_IMAGE: &str = "The photo must be a JPG, PNG, GIF or WebP image";

/// Turns an uploaded file into a stored photo, or says what is wrong with it
/// in words for the member. CPU work: call it off the async threads.
pub fn process(bytes: &[u8]) -> std::result::Result<Vec<u8>, &'static str> {
    if bytes.len() > MAX_BYTES {
        return Err(TOO_BIG);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| NOT_AN_IMAGE)?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP)
    ) {
        return Err(NOT_AN_IMAGE);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    // An 8,000 × 8,000 image with an alpha channel, and a little over.
    limits.max_alloc = Some(300 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => "The photo must be at most 8,000 pixels wide and high",
        _ => NOT_AN_IMAGE,
    })?;
    let square = image.resize_to_fill(SIDE, SIDE, FilterType::Lanczos3);
    let rgb = on_white(square);
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&rgb)
        .map_err(|_| NOT_AN_IMAGE)?;
    Ok(out)
}

/// The image without transparency: see-through parts become white.
fn on_white(image: DynamicImage) -> image::RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |c: u8| {
            let (c, a) = (u16::from(c), u16::from(a));
            ((c * a + 255 * (255 - a)) / 255) as u8
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

/// Replaces the viewer's photo with `bytes`, processed.
pub async fn upload(ctx: &Ctx, viewer: &Viewer, bytes: &[u8]) -> Result<()> {
    let id = editor(viewer)?;
    if bytes.is_empty() {
        return Err(FieldErrors::one("photo", "Select a photo"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(FieldErrors::one("photo", TOO_BIG));
    }
    let owned = bytes.to_vec();
    let processed = tokio::task::spawn_blocking(move || process(&owned))
        .await
        .map_err(|e| Error::Internal(format!("processing a photo: {e}")))?
        .map_err(|message| FieldErrors::one("photo", message))?;
    ctx.store.set_photo(id, &processed).await?;
    Ok(())
}

/// Removes the viewer's photo (if they have one).
pub async fn remove(ctx: &Ctx, viewer: &Viewer) -> Result<()> {
    let id = editor(viewer)?;
    ctx.store.delete_photo(id).await?;
    Ok(())
}

/// The photo of the member with `handle` (JPEG) and when it was set, if the
/// viewer may see it: its owner; members unless it is hidden from them;
/// visitors only when the owner shows it and their name to everyone.
/// Otherwise `NotFound`, as for a member without a photo.
pub async fn photo(ctx: &Ctx, viewer: &Viewer, handle: &str) -> Result<(Vec<u8>, Timestamp)> {
    let row = match ctx.store.profile_by_handle(handle).await? {
        Some(row) => row,
        // A pending member sees their own.
        None => match viewer.member() {
            Some(m) => {
                let own = ctx.store.profile_of(m.id).await?;
                if own.handle != handle || editor(viewer).is_err() {
                    return Err(Error::NotFound);
                }
                own
            }
            None => return Err(Error::NotFound),
        },
    };
    if !audiences(&row).shows(Field::Photo, seer(viewer, row.id)) {
        return Err(Error::NotFound);
    }
    let stored = ctx.store.photo(row.id).await?.ok_or(Error::NotFound)?;
    Ok((stored.image, stored.updated_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_fn(width, height, |x, _| {
            image::Rgba([(x % 256) as u8, 10, 200, if x < 5 { 0 } else { 255 }])
        });
        let mut out = Cursor::new(Vec::new());
        DynamicImage::ImageRgba8(image)
            .write_to(&mut out, ImageFormat::Png)
            .expect("png");
        out.into_inner()
    }

    #[test]
    fn a_photo_becomes_a_small_square_jpeg() {
        let out = process(&png(300, 120)).expect("processed");
        let decoded = image::load_from_memory(&out).expect("decodes");
        assert_eq!(image::guess_format(&out).ok(), Some(ImageFormat::Jpeg));
        assert_eq!((decoded.width(), decoded.height()), (SIDE, SIDE));
    }

    #[test]
    fn what_is_not_a_photo_is_refused_plainly() {
        assert_eq!(process(b"just some text, not an image"), Err(NOT_AN_IMAGE));
        assert_eq!(
            process(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]),
            Err(NOT_AN_IMAGE)
        );
        assert_eq!(process(&vec![0; MAX_BYTES + 1]), Err(TOO_BIG));
        // A BMP is an image, but not one of ours.
        assert_eq!(process(b"BM\0\0\0\0\0\0\0\0\0\0\0\0"), Err(NOT_AN_IMAGE));
    }

    #[test]
    fn an_image_too_wide_is_refused() {
        // A PNG header claiming 9,000 × 10 pixels.
        let big = png(9_000, 1);
        assert!(process(&big).is_err());
    }
}
