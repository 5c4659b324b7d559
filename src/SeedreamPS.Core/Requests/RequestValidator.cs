using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.References;

namespace SeedreamPS.Core.Requests
{
    /// <summary>Checks a request against every documented rule of its gateway and model, before anything is sent.</summary>
    public static class RequestValidator
    {
        /// <summary>Returns the validated request, or throws listing every broken rule.</summary>
        /// <exception cref="SeedreamValidationException">The request breaks a rule.</exception>
        /// <param name="request">The request as given.</param>
        /// <param name="gateway">The gateway it goes to.</param>
        /// <param name="region">The connection's region, which may decide the model ids sent; null for the gateway's own.</param>
        public static ValidatedRequest Validate(SeedreamRequest request, SeedreamGateway gateway, string region = null)
        {
            var problems = new List<ValidationProblem>();
            var validated = Check(request, gateway, problems, region);
            if (problems.Count > 0) throw new SeedreamValidationException(problems);
            return validated;
        }

        /// <summary>Collects every broken rule into <paramref name="problems"/>.</summary>
        /// <returns>The validated request when there were none, else null.</returns>
        /// <param name="request">The request as given.</param>
        /// <param name="gateway">The gateway it goes to.</param>
        /// <param name="problems">Receives each broken rule.</param>
        /// <param name="region">The connection's region, which may decide the model ids sent; null for the gateway's own.</param>
        public static ValidatedRequest Check(SeedreamRequest request, SeedreamGateway gateway, List<ValidationProblem> problems, string region = null)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            int before = problems.Count;
            void Fail(string parameter, object value, string message) => problems.Add(new ValidationProblem(parameter, value, message));

            var choice = Gateways.GatewayAdapters.For(gateway).ResolveModel(request.Model, region);
            if (choice.Model == null)
            {
                Fail("Model", request.Model, choice.Problem);
                return null;
            }
            var model = choice.Model;
            string wireModel = choice.WireId == model.Id ? null : choice.WireId;

            string prompt = request.Prompt;
            if (string.IsNullOrWhiteSpace(prompt))
            {
                Fail("Prompt", prompt, "Prompt is empty; describe the image to generate.");
            }
            else
            {
                if (model.MaxPromptCharacters is int maxChars && prompt.Length > maxChars)
                {
                    Fail("Prompt", Shorten(prompt), string.Format(CultureInfo.InvariantCulture,
                        "Prompt is {0} characters long; {1} accepts at most {2}.", prompt.Length, model.Id, maxChars));
                }
                if (model.MaxPromptTokens is int maxTokens && EstimateTokens(prompt) > maxTokens)
                {
                    Fail("Prompt", Shorten(prompt), string.Format(CultureInfo.InvariantCulture,
                        "Prompt is about {0} tokens long; {1} accepts at most {2} tokens.", EstimateTokens(prompt), model.Id, maxTokens));
                }
            }

            if (request.Count < ModelCatalog.MinImages || request.Count > model.MaxImages)
            {
                Fail("Count", request.Count, string.Format(CultureInfo.InvariantCulture,
                    "Count {0} is out of range; ask for {1} to {2} images.", request.Count, ModelCatalog.MinImages, model.MaxImages));
            }


            var references = SplitReferences(request.ReferenceImages);
            if (references.Count > model.MaxReferences)
            {
                Fail("ReferenceImage", references.Count, string.Format(CultureInfo.InvariantCulture,
                    "ReferenceImage has {0} images; {1} on {2} accepts at most {3}.", references.Count, model.Id, gateway, model.MaxReferences));
            }
            else if (references.Count + request.Count > model.MaxReferencesPlusImages && request.Count <= model.MaxImages)
            {
                Fail("Count", request.Count, string.Format(CultureInfo.InvariantCulture,
                    "{0} reference images plus Count {1} is {2}; references plus images may be at most {3}, so ask for at most {4} images.",
                    references.Count, request.Count, references.Count + request.Count, model.MaxReferencesPlusImages,
                    Math.Max(0, model.MaxReferencesPlusImages - references.Count)));
            }
            foreach (var reference in references)
            {
                if (LocalReference.IsUrl(reference)) continue;
                if (!model.AcceptsLocalReferences)
                {
                    Fail("ReferenceImage", reference, string.Format(CultureInfo.InvariantCulture,
                        "ReferenceImage '{0}' is not an http(s) URL; {1} takes reference images only as URLs it can download.", reference, gateway));
                    continue;
                }
                string rule = LocalReference.Check(LocalReference.PathOf(reference), model);
                if (rule != null) Fail("ReferenceImage", reference, rule);
            }

            string quality = null;
            if (!string.IsNullOrWhiteSpace(request.Quality))
            {
                quality = model.Qualities.FirstOrDefault(q => string.Equals(q, request.Quality.Trim(), StringComparison.OrdinalIgnoreCase));
                if (quality == null)
                {
                    Fail("Quality", request.Quality, string.Format(CultureInfo.InvariantCulture,
                        "Quality '{0}' is not supported by {1}; use {2}.", request.Quality, model.Id, JoinOr(model.Qualities)));
                }
            }

            ImageSize size = null;
            if (!string.IsNullOrWhiteSpace(request.Size))
            {
                size = CheckSize(request.Size, model, Fail);
            }

            string priority = null;
            if (!string.IsNullOrWhiteSpace(request.PromptPriority))
            {
                priority = model.PromptPriorities.FirstOrDefault(p => string.Equals(p, request.PromptPriority.Trim(), StringComparison.OrdinalIgnoreCase));
                if (priority == null)
                {
                    Fail("PromptPriority", request.PromptPriority, model.PromptPriorities.Count == 0
                        ? string.Format(CultureInfo.InvariantCulture, "PromptPriority is not supported by {0} on {1}; leave it out.", model.Id, gateway)
                        : string.Format(CultureInfo.InvariantCulture, "PromptPriority '{0}' is not supported by {1}; use {2}.", request.PromptPriority, model.Id, JoinOr(model.PromptPriorities)));
                }
            }

            string callback = null;
            if (!string.IsNullOrWhiteSpace(request.CallbackUrl))
            {
                callback = request.CallbackUrl.Trim();
                if (!model.SupportsCallback)
                {
                    Fail("CallbackUri", callback, Gateways.GatewayAdapters.For(gateway).Capabilities.Synchronous
                        ? "CallbackUri is not supported by " + gateway + ", which answers with the images directly."
                        : "CallbackUri is not supported by " + gateway + "; poll the task instead.");
                }
                else if (CallbackUrlRule.Check(callback) is string rule)
                {
                    Fail("CallbackUri", Shorten(callback), "CallbackUri '" + Shorten(callback) + "' " + rule + ".");
                }
            }

            string outputFormat = Text.NullIfBlank(request.OutputFormat)?.ToLowerInvariant();
            if (outputFormat == "jpg") outputFormat = "jpeg";
            if (outputFormat != null && (outputFormat != "png" && outputFormat != "jpeg"))
            {
                Fail("OutputFormat", request.OutputFormat, "OutputFormat '" + request.OutputFormat + "' is not png or jpeg.");
            }
            else if (outputFormat != null && !model.OutputFormats.Contains(outputFormat))
            {
                Fail("OutputFormat", request.OutputFormat, model.OutputFormats.Count == 0
                    ? "OutputFormat is not a parameter of " + model.Id + " on " + gateway + ", which answers " + model.DefaultOutputFormat.ToUpperInvariant() + " only; leave it out."
                    : model.Id + " answers " + string.Join(" or ", model.OutputFormats) + " only; leave OutputFormat out or use " + string.Join(" or ", model.OutputFormats) + ".");
            }

            if (request.ImageDelivery == ImageDelivery.Inline && !model.SupportsInlineImages)
            {
                var inline = ModelCatalog.Models.Where(m => m.SupportsInlineImages).Select(m => m.Gateway).Distinct().ToList();
                Fail("ImageDelivery", "Inline", "Inline image delivery is not offered by " + gateway + " for " + model.Id + "; it is offered by " +
                    (inline.Count == 0 ? "no gateway" : string.Join(", ", inline)) + ". Leave -ImageDelivery out (Url).");
            }

            if (request.WebSearch && !model.SupportsWebSearch)
            {
                var searching = ModelCatalog.Models.Where(m => m.SupportsWebSearch).Select(m => m.Id + " on " + m.Gateway).ToList();
                Fail("WebSearch", true, "WebSearch is not supported by " + model.Id + " on " + gateway + "; it is supported by " +
                    (searching.Count == 0 ? "no model" : string.Join(", ", searching)) + ".");
            }

            string background = Text.NullIfBlank(request.Background)?.ToLowerInvariant();
            if (background != null)
            {
                if (!model.SupportsBackground)
                {
                    Fail("Background", request.Background, "Background is not supported by " + model.Id + " on " + gateway + "; it is supported by " +
                        string.Join(", ", ModelCatalog.Models.Where(m => m.SupportsBackground).Select(m => m.Id + " on " + m.Gateway)) + ".");
                }
                else if (background != "opaque" && background != "transparent")
                {
                    Fail("Background", request.Background, "Background '" + request.Background + "' is not opaque or transparent.");
                }
                else if (background == "transparent" && TransparencyProblem(references) is string problem)
                {
                    Fail("Background", request.Background, problem);
                }
            }

            if (request.Watermark == false && !model.SupportsWatermark)
            {
                Fail("NoWatermark", false, "NoWatermark is not supported by " + model.Id + " on " + gateway + ", which documents no watermark switch; it is supported by " +
                    string.Join(", ", ModelCatalog.Models.Where(m => m.SupportsWatermark).Select(m => m.Gateway).Distinct()) + ".");
            }

            if (problems.Count > before) return null;
            return new ValidatedRequest(request, model, prompt, size, quality, request.Count, references, priority, callback, request.Watermark, wireModel, outputFormat, background)
            {
                Notice = choice.Notice,
            };
        }

        // A transparent background keeps the alpha channel of exactly one input image that has one; it cuts nothing out.
        // A local file is checked here; a URL cannot be, and the service judges it.
        private static string TransparencyProblem(IReadOnlyList<string> references)
        {
            if (references.Count != 1)
            {
                return "Background transparent keeps the alpha channel of exactly one reference image that has one (it does not cut a background out); " +
                    "give one reference image with transparency, not " + references.Count + ".";
            }
            string reference = references[0];
            if (LocalReference.IsUrl(reference)) return null;
            var header = SafeHeader(LocalReference.PathOf(reference));
            if (header != null && header.HasAlpha == false)
            {
                return "Background transparent keeps the alpha channel of the reference image, but '" + reference + "' has none (it does not cut a background out); " +
                    "give a PNG, WebP or HEIF with transparency, or leave Background out.";
            }
            return null;
        }

        private static ImageHeader SafeHeader(string path)
        {
            try
            {
                return ImageHeader.Read(path);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return null;
            }
        }

        /// <summary>Reference entries as given, where one entry may hold several URLs separated by semicolons or
        /// line breaks (a single CSV cell); blanks are dropped. Spaces do not separate: local paths may hold them.</summary>
        public static List<string> SplitReferences(IEnumerable<string> entries) =>
            (entries ?? Enumerable.Empty<string>())
                .Where(e => e != null)
                .SelectMany(e => e.Split(new[] { ';', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries))
                .Select(r => r.Trim())
                .Where(r => r.Length > 0)
                .ToList();

        /// <summary>A conservative token estimate for the gateways' "2000 tokens" prompt limit:
        /// one token per four UTF-8 bytes, which a real tokenizer seldom exceeds.</summary>
        public static int EstimateTokens(string prompt) => prompt == null ? 0 : (Encoding.UTF8.GetByteCount(prompt) + 3) / 4;

        private static ImageSize CheckSize(string text, ModelInfo model, Action<string, object, string> fail)
        {
            if (!ImageSize.TryParse(text, out var size))
            {
                fail("Size", text, string.Format(CultureInfo.InvariantCulture,
                    "Size '{0}' is not a size; use {1}.", text, SizeForms(model)));
                return null;
            }
            switch (size.Kind)
            {
                case ImageSizeKind.Auto:
                    if (!model.SupportsAutoSize)
                    {
                        fail("Size", text, string.Format(CultureInfo.InvariantCulture, "Size 'auto' is not supported by {0} on {1}; use {2}.", model.Id, model.Gateway, SizeForms(model)));
                    }
                    break;
                case ImageSizeKind.Ratio:
                    if (!model.SizeRatios.Contains(size.Ratio))
                    {
                        fail("Size", text, string.Format(CultureInfo.InvariantCulture, "Size ratio '{0}' is not supported by {1} on {2}; use {3}.", text, model.Id, model.Gateway, SizeForms(model)));
                    }
                    break;
                default:
                    if (!model.SupportsPixelSize)
                    {
                        fail("Size", text, string.Format(CultureInfo.InvariantCulture, "Size '{0}' gives pixels, but {1} on {2} takes only a ratio: {3}.", text, model.Id, model.Gateway, JoinOr(model.SizeRatios)));
                    }
                    else if (size.PixelCount < model.MinPixels || size.PixelCount > model.MaxPixels)
                    {
                        fail("Size", text, string.Format(CultureInfo.InvariantCulture,
                            "Size '{0}' is {1:N0} pixels; {2} accepts {3:N0} to {4:N0} pixels in total ({5} to {6}).",
                            text, size.PixelCount, model.Id, model.MinPixels, model.MaxPixels, PixelBound(model.MinPixels), PixelBound(model.MaxPixels)));
                    }
                    else
                    {
                        double aspect = (double)size.Width / size.Height;
                        if (aspect < model.MinAspectRatio || aspect > model.MaxAspectRatio)
                        {
                            fail("Size", text, string.Format(CultureInfo.InvariantCulture,
                                "Size '{0}' has aspect ratio {1:0.###}; width ÷ height must be between 1/16 and 16.", text, aspect));
                        }
                    }
                    break;
            }
            return size;
        }

        private static string PixelBound(long pixels)
        {
            // The documented bounds are all 16:9 or square; name them the way the documents do.
            foreach (var (w, h) in new[] { (1280, 720), (2560, 1440), (3072, 3072), (4096, 4096) })
            {
                if ((long)w * h == pixels) return w.ToString(CultureInfo.InvariantCulture) + "x" + h.ToString(CultureInfo.InvariantCulture);
            }
            return pixels.ToString(CultureInfo.InvariantCulture) + " pixels";
        }

        private static string SizeForms(ModelInfo model)
        {
            var forms = new List<string>();
            if (model.SupportsAutoSize) forms.Add("auto");
            forms.Add("a ratio (" + string.Join(", ", model.SizeRatios) + ")");
            if (model.SupportsPixelSize) forms.Add("WIDTHxHEIGHT between " + PixelBound(model.MinPixels) + " and " + PixelBound(model.MaxPixels) + " pixels in total");
            return JoinOr(forms);
        }

        private static string JoinOr(IReadOnlyList<string> items) => Text.JoinOr(items);

        private static string Shorten(string value) => Text.Shorten(value, 80);
    }
}
