# Export-SeedreamGallery: one self-contained page from saved files, and, at the end of a pipeline, what failed in it
# (issue 20, point 10).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $sim = Start-TestSession -LatencyMs 0
}

AfterAll { Stop-TestSession $sim }

Describe 'Export-SeedreamGallery' {
    It 'writes one self-contained page from Save-SeedreamImage''s output, with the failures, every text escaped' {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
        $out = New-TestFolder
        $rows = @(
            [pscustomobject]@{ Name = 'hero'; Campaign = 'spring'; Prompt = '<script>alert(1)</script> a hero banner' }
            [pscustomobject]@{ Name = 'bad'; Prompt = 'x'; Size = '1:20' }
        )
        $files = $rows | New-SeedreamImage -ErrorVariable failed -ErrorAction SilentlyContinue |
            Save-SeedreamImage -Path $out -FileName '{Name}-{Index}.png'
        $page = $files | Export-SeedreamGallery -Path (Join-Path $out 'index.html') -Failure $failed
        $page | Should -BeOfType ([System.IO.FileInfo])
        $html = Get-Content $page.FullName -Raw
        ([regex]::Matches($html, '<figure>')).Count | Should -Be 1
        $html | Should -Match 'src="hero-0.png"'
        $html | Should -Match '&lt;script&gt;alert\(1\)&lt;/script&gt;'
        $html | Should -Not -Match '<script'
        $html | Should -Match 'spring'
        $html | Should -Match 'SeedreamPS.InvalidParameter.Size'
        $html | Should -Not -Match '(src|href)="https?:'
    }

    It 'writes a page for files listed from disk, from their sidecars' {
        Reset-Sim $sim
        Set-SimConfig $sim @{ latencyMs = 0 }
        Connect-TestGateway
        $out = New-TestFolder
        [pscustomobject]@{ Name = 'later'; Prompt = 'saved earlier' } | New-SeedreamImage | Save-SeedreamImage -Path $out -FileName '{Name}.png' -Sidecar | Out-Null
        $page = Get-ChildItem (Join-Path $out '*.png') | Export-SeedreamGallery -Path (Join-Path $out 'index.html')
        Get-Content $page.FullName -Raw | Should -Match 'saved earlier'
    }
}

Describe 'Export-SeedreamGallery at the end of a pipeline' {
    BeforeEach {
        Reset-Sim $sim
        Connect-TestGateway
    }

    It 'lists the records that failed in the same pipeline, and why, without -Failure' {
        $folder = New-TestFolder
        $rows = @(
            [pscustomobject]@{ Name = 'good'; Prompt = 'fine' }
            [pscustomobject]@{ Name = 'bad-size'; Prompt = 'x'; Size = '1:20' }
        )
        $page = Join-Path $folder 'index.html'
        $rows | New-SeedreamImage -ErrorAction SilentlyContinue | Save-SeedreamImage -Path $folder -FileName '{Name}-{Index}.png' |
            Export-SeedreamGallery -Path $page | Out-Null
        $html = Get-Content -Raw $page
        ([regex]::Matches($html, '<figure>')).Count | Should -Be 1
        $html | Should -Match 'bad-size'
        $html | Should -Match '1:20'
        $html | Should -Match 'SeedreamPS.InvalidParameter'
    }

    It 'lists a failure once when it is also passed with -Failure' {
        $folder = New-TestFolder
        $page = Join-Path $folder 'index.html'
        [pscustomobject]@{ Name = 'bad'; Prompt = 'x'; Quality = '9K' } | New-SeedreamImage -ErrorAction SilentlyContinue -ErrorVariable failed |
            Save-SeedreamImage -Path $folder | Export-SeedreamGallery -Path $page | Out-Null
        $html = Get-Content -Raw $page
        ([regex]::Matches($html, '9K')).Count | Should -BeGreaterThan 0
        $again = Join-Path $folder 'again.html'
        @() | Export-SeedreamGallery -Path $again -Failure $failed | Out-Null
        ([regex]::Matches((Get-Content -Raw $again), 'SeedreamPS\.InvalidParameter')).Count | Should -Be ([regex]::Matches($html, 'SeedreamPS\.InvalidParameter')).Count
    }

    It 'does not list failures of an earlier pipeline' {
        $folder = New-TestFolder
        $null = [pscustomobject]@{ Name = 'earlier'; Prompt = 'x'; Size = '1:20' } | New-SeedreamImage -ErrorAction SilentlyContinue
        $page = Join-Path $folder 'index.html'
        New-SeedreamImage -Prompt 'fine' -Wait | Save-SeedreamImage -Path $folder | Export-SeedreamGallery -Path $page | Out-Null
        (Get-Content -Raw $page) | Should -Not -Match 'earlier'
    }
}
