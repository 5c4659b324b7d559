using System;
using System.Globalization;
using System.IO;
using System.Linq;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Core.References
{
    /// <summary>Tells URLs from local files among reference images, and checks local files against the documented
    /// reference rules (the model's formats and size cap, sides over 14 px, aspect 1/16 to 16, at most 6000×6000 pixels, and
    /// on a gateway that uploads them, its files API's formats).</summary>
    public static class LocalReference
    {
        /// <summary>Whether <paramref name="reference"/> is an http(s) URL rather than a local file.</summary>
        public static bool IsUrl(string reference) =>
            Uri.TryCreate(reference, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

        /// <summary>The local path a reference names: a plain path or a file:// URI.</summary>
        public static string PathOf(string reference) =>
            Uri.TryCreate(reference, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : reference;

        /// <summary>A <c>data:image/&lt;format&gt;;base64,…</c> URL holding the file, as ModelArk takes inline images.</summary>
        public static string DataUrl(string path)
        {
            var header = ImageHeader.Read(path) ?? throw new ArgumentException("ReferenceImage '" + path + "' is not an image.");
            return "data:image/" + header.Format + ";base64," + Convert.ToBase64String(File.ReadAllBytes(path));
        }

        /// <summary>Checks a local reference image against the model's rules.</summary>
        /// <returns>The rule the file breaks, in words naming the file; or null when it is fine.</returns>
        public static string Check(string path, ModelInfo model)
        {
            string name = "ReferenceImage '" + path + "'";
            FileInfo file;
            try
            {
                file = new FileInfo(path);
                if (!file.Exists) return name + " is neither an http(s) URL nor an existing file.";
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException || e is UnauthorizedAccessException)
            {
                return name + " is neither an http(s) URL nor a usable file path.";
            }
            if (file.Length > model.MaxReferenceBytes)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0} is {1:0.0} MB; reference images may be at most {2} MB.", name, file.Length / 1048576.0, model.MaxReferenceBytes / 1048576);
            }
            ImageHeader header;
            try
            {
                header = ImageHeader.Read(file.FullName);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return name + " cannot be read: " + e.Message;
            }
            if (header == null || !model.ReferenceFormats.Contains(header.Format))
            {
                return name + " is not an image in a supported format (" + string.Join(", ", model.ReferenceFormats) + ").";
            }
            if (header.Width <= model.MinReferenceSideExclusive || header.Height <= model.MinReferenceSideExclusive)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0} is {1}x{2} pixels; both sides must be larger than {3} pixels.", name, header.Width, header.Height, model.MinReferenceSideExclusive);
            }
            double aspect = (double)header.Width / header.Height;
            if (aspect < model.MinAspectRatio || aspect > model.MaxAspectRatio)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0} is {1}x{2} pixels, an aspect ratio of {3:0.###}; width ÷ height must be between 1/16 and 16.", name, header.Width, header.Height, aspect);
            }
            if ((long)header.Width * header.Height > model.MaxReferencePixels)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0} is {1}x{2} pixels; reference images may have at most 6000x6000 ({3:N0}) pixels.", name, header.Width, header.Height, model.MaxReferencePixels);
            }
            if (Gateways.GatewayAdapters.For(model.Gateway) is Gateways.IUploadingGatewayAdapter uploader && !uploader.UploadFormats.Contains(header.Format))
            {
                return name + " is " + header.Format.ToUpperInvariant() + "; " + model.Gateway + "'s files API uploads only " +
                    Text.JoinOr(uploader.UploadFormats.Select(f => f == "webp" ? "WebP" : f.ToUpperInvariant()).ToList()) + ". Convert it, or give a URL.";
            }
            return null;
        }
    }
}
